package io.eventsink.service.delivery;

import io.eventsink.service.delivery.format.EventMessages;
import io.eventsink.service.delivery.format.QueueMessage;
import java.time.Duration;
import java.util.Deque;
import java.util.List;

/** The event format: every event is a message of its own, sealed as it arrives. */
final class EventPerMessage implements Packing {

    private final long callLingerNanos;

    /** @param callLinger how long, with calls in flight, a call waits to fill (BATCH_LINGER_MS) */
    EventPerMessage(Duration callLinger) {
        this.callLingerNanos = callLinger.toNanos();
    }

    @Override
    public void prepare(PendingEvent p) {
        QueueMessage message = EventMessages.of(p.event);
        p.encoded = message;
        p.encodedBytes = message.payloadBytes();
    }

    @Override
    public void add(PendingEvent p, long nowNanos, boolean nothingInFlight, Deque<OutboundMessage> sealed) {
        sealed.addLast(seal(List.of(p), nowNanos));
    }

    @Override
    public void addRetried(List<PendingEvent> events, long nowNanos, Deque<OutboundMessage> sealed) {
        addAlone(events, nowNanos, sealed);
    }

    @Override
    public void sealDue(long nowNanos, boolean nothingInFlight, Deque<OutboundMessage> sealed) {
        // nothing waits unsealed
    }

    @Override
    public void sealAll(long nowNanos, Deque<OutboundMessage> sealed) {
        // nothing waits unsealed
    }

    @Override
    public long sealDeadlineNanos(boolean nothingInFlight) {
        return NO_DEADLINE;
    }

    @Override
    public long callLingerNanos() {
        return callLingerNanos;
    }

    @Override
    public List<PendingEvent> takeUnsealed() {
        return List.of();
    }

    @Override
    public OutboundMessage seal(List<PendingEvent> events, long nowNanos) {
        PendingEvent p = events.getFirst();
        return new OutboundMessage(events, p.encodedBytes, nowNanos, (QueueMessage) p.encoded);
    }

    @Override
    public List<OutboundMessage> encode(OutboundMessage sealed) {
        return List.of(sealed);
    }
}
