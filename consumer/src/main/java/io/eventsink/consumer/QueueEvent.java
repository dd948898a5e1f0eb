package io.eventsink.consumer;

import java.util.Map;
import java.util.Optional;

/**
 * One event read from an EventSink queue message, in either format, with the attributes the event
 * format carries: {@code Event}, {@code Time} (when the event has a timestamp), {@code ReceivedAt},
 * and {@code Origin}, {@code ShardId}, {@code Source} when present.
 *
 * @param json       the event as the player sent it (or as EventSink mapped it from CMCD)
 * @param attributes the attributes, by name
 */
public record QueueEvent(String json, Map<String, String> attributes) {

    public QueueEvent {
        attributes = Map.copyOf(attributes);
    }

    /** The EPAS event name, e.g. {@code heartbeat}. */
    public String eventName() {
        return attributes.get(QueueMessages.EVENT);
    }

    /** When EventSink received it, in epoch milliseconds. */
    public long receivedAtMs() {
        return Long.parseLong(attributes.get(QueueMessages.RECEIVED_AT));
    }

    /** The browser's Origin, when it sent one. */
    public Optional<String> origin() {
        return Optional.ofNullable(attributes.get(QueueMessages.ORIGIN));
    }

    /** The event's shardId, when it has one. */
    public Optional<String> shardId() {
        return Optional.ofNullable(attributes.get(QueueMessages.SHARD_ID));
    }

    /** Where it came from when not an EPAS body ({@code cmcd}). */
    public Optional<String> source() {
        return Optional.ofNullable(attributes.get(QueueMessages.SOURCE));
    }
}
