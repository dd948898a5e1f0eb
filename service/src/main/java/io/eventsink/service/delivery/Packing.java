package io.eventsink.service.delivery;

import java.util.Deque;
import java.util.List;

/**
 * How waiting events become queue messages: one each ({@link EventPerMessage}) or packed many to a
 * message ({@link PackedMessages}). Not thread-safe: {@link #prepare} runs on the submitting thread,
 * everything else under the pipeline's lock, except {@link #encode}, which the sender calls.
 */
interface Packing {

    long NO_DEADLINE = Long.MAX_VALUE;

    /** Does the per-event encoding work on the caller's thread, before the lock is taken. */
    void prepare(PendingEvent p);

    /**
     * Takes a new event; seals messages into {@code sealed} when due. {@code nothingInFlight} says
     * whether the sink is between calls.
     */
    void add(PendingEvent p, long nowNanos, boolean nothingInFlight, Deque<OutboundMessage> sealed);

    /** Seals retried events at once into as few messages as they need, placed first. */
    void addRetried(List<PendingEvent> events, long nowNanos, Deque<OutboundMessage> sealed);

    /** Seals each event as a message of its own, placed first (to learn which one a queue refuses). */
    default void addAlone(List<PendingEvent> events, long nowNanos, Deque<OutboundMessage> sealed) {
        for (int i = events.size() - 1; i >= 0; i--) {
            sealed.addFirst(seal(List.of(events.get(i)), nowNanos));
        }
    }

    /** Seals what is due by {@code nowNanos}: what has waited its linger, or (between calls) what waits in vain. */
    void sealDue(long nowNanos, boolean nothingInFlight, Deque<OutboundMessage> sealed);

    /** Seals whatever waits unsealed. */
    void sealAll(long nowNanos, Deque<OutboundMessage> sealed);

    /** When what waits unsealed must be sealed at the latest, or {@link #NO_DEADLINE}. */
    long sealDeadlineNanos(boolean nothingInFlight);

    /** How long a sealed message may wait for others to fill a call while calls are in flight. */
    long callLingerNanos();

    /** Everything waiting unsealed, which is then empty. */
    List<PendingEvent> takeUnsealed();

    /** A sealed message of the given events (some of another's, after others expired). */
    OutboundMessage seal(List<PendingEvent> events, long nowNanos);

    /** What goes on the wire for a sealed message: one message, or more when it had to be split. */
    List<OutboundMessage> encode(OutboundMessage sealed);
}
