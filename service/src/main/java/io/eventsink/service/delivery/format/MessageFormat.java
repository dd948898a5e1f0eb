package io.eventsink.service.delivery.format;

import java.time.Duration;

/**
 * How accepted events are laid out in SQS messages (SQS_MESSAGE_FORMAT, SQS_PACK_*): one event per
 * message, or many packed into one. The layout is documented for workers in docs/queue-format.md.
 *
 * @param packed       whether events are packed (else one per message)
 * @param packMaxBytes largest packed message, body plus attributes
 * @param packLinger   how long a pack may wait to fill once the sink is busy
 * @param gzip         whether packed bodies are gzip-compressed (then base64-encoded)
 */
public record MessageFormat(boolean packed, int packMaxBytes, Duration packLinger, boolean gzip) {

    /** One event per message: the EPAS worker contract. */
    public static final MessageFormat EVENT = new MessageFormat(false, 0, Duration.ZERO, false);

    public static MessageFormat packed(int maxBytes, Duration linger, boolean gzip) {
        return new MessageFormat(true, maxBytes, linger, gzip);
    }

    public String describe() {
        return packed ? "packed" + (gzip ? "+gzip" : "") + " (at most " + packMaxBytes + " bytes a message)" : "event";
    }
}
