package io.eventsink.service.delivery;

/**
 * One accepted event on its way to the queue.
 *
 * @param json          the request body exactly as received (UTF-8 decoded)
 * @param eventName     EPAS event name, for the {@code Event} message attribute
 * @param timestampText the event's timestamp as written, for the {@code Time} message attribute
 * @param receivedAtMs  when the service received it (epoch ms), an extra attribute
 * @param origin        the browser Origin header when present and printable, else null
 * @param bytes         the body size in bytes, for batch size accounting
 */
public record QueuedEvent(
        String json, String eventName, String timestampText, long receivedAtMs, String origin, int bytes) {}
