package io.eventsink.service.delivery.format;

import io.eventsink.service.delivery.QueuedEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The event format: one event per message, the body the event exactly as the player sent it (or as
 * mapped from CMCD), the attributes EPAS workers read.
 */
public final class EventMessages {

    private EventMessages() {}

    public static QueueMessage of(QueuedEvent e) {
        List<MessageAttribute> attributes = new ArrayList<>(6);
        attributes.add(MessageAttribute.string("Event", e.eventName()));
        if (e.timestampText() != null) {
            attributes.add(MessageAttribute.string("Time", e.timestampText()));
        }
        attributes.add(MessageAttribute.number("ReceivedAt", e.receivedAtMs()));
        if (e.origin() != null) {
            attributes.add(MessageAttribute.string("Origin", e.origin()));
        }
        if (e.shardId() != null) {
            attributes.add(MessageAttribute.string("ShardId", e.shardId()));
        }
        if (e.source() != null) {
            attributes.add(MessageAttribute.string("Source", e.source()));
        }
        return QueueMessage.of(e.json(), e.bytes(), attributes, 1);
    }
}
