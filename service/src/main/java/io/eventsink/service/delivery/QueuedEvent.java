package io.eventsink.service.delivery;

/**
 * One accepted event on its way to the queue.
 *
 * @param json          the event exactly as received (UTF-8 decoded), or as mapped from CMCD
 * @param eventName     EPAS event name, for the {@code Event} message attribute
 * @param timestampText the event's timestamp as written, for the {@code Time} message attribute
 * @param receivedAtMs  when the service received it (epoch ms), the {@code ReceivedAt} attribute
 * @param origin        the browser Origin header when present and printable, else null
 * @param shardId       the event's {@code shardId} (already checked against SHARD_ID_PATTERN), else null
 * @param source        where it came from when not an EPAS body ({@code cmcd}), else null
 * @param bytes         the event's size in bytes, for batch size accounting
 */
public record QueuedEvent(
        String json,
        String eventName,
        String timestampText,
        long receivedAtMs,
        String origin,
        String shardId,
        String source,
        int bytes) {}
