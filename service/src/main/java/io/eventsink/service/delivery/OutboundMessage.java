package io.eventsink.service.delivery;

import io.eventsink.service.delivery.format.QueueMessage;
import java.util.List;

/**
 * A message on its way: the events it carries and, once encoded, what goes on the wire. Its fate is
 * theirs: stored, all are; failed, all are retried.
 *
 * @param events      the events, in order
 * @param bytes       its payload in bytes (estimated for compressed packs until encoded)
 * @param sealedNanos when it was sealed (the call linger counts from the oldest)
 * @param wire        the encoded message, or null until the sender encodes it
 */
record OutboundMessage(List<PendingEvent> events, int bytes, long sealedNanos, QueueMessage wire) {

    boolean anyExpiredAt(long nowNanos) {
        for (PendingEvent p : events) {
            if (p.expiredAt(nowNanos)) {
                return true;
            }
        }
        return false;
    }
}
