package io.eventsink.service.epas;

import java.util.List;

/**
 * What the validator concluded about one event.
 *
 * @param kind          valid, malformed (not a readable JSON object at all) or invalid (readable, breaks EPAS rules)
 * @param type          the event type, or null when the event is not valid
 * @param sessionId     the session id when the event had a string {@code sessionId}, else null
 * @param timestampText the {@code timestamp} number exactly as written, for the {@code Time} attribute
 * @param shardId       the {@code shardId} when present (it matched SHARD_ID_PATTERN), else null
 * @param json          the body decoded as UTF-8 (byte-identical when re-encoded), null when undecodable
 * @param errors        what is wrong, empty when valid
 */
public record ValidationResult(
        Kind kind,
        EventType type,
        String sessionId,
        String timestampText,
        String shardId,
        String json,
        List<String> errors) {

    /** The three answers a validation can give. */
    public enum Kind {
        VALID,
        /** Not one readable JSON object (malformed JSON, bad UTF-8, too deep…): errors start with "body:". */
        MALFORMED,
        /** A readable object that breaks the EPAS rules. */
        INVALID
    }

    public boolean valid() {
        return kind == Kind.VALID;
    }
}
