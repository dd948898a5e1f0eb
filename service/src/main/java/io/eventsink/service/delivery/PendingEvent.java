package io.eventsink.service.delivery;

import java.util.concurrent.CompletableFuture;

/** An accepted event on its way to the queue, with the future its request waits on. */
final class PendingEvent {

    /** Room for the message attributes the queue counts towards a batch's size. */
    static final int ATTRIBUTE_OVERHEAD_BYTES = 512;

    final QueuedEvent event;
    final long deadlineNanos;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    int attempts;
    /** When it last joined the waiting events (the batch linger counts from the oldest). */
    long queuedAtNanos;

    PendingEvent(QueuedEvent event, long deadlineNanos) {
        this.event = event;
        this.deadlineNanos = deadlineNanos;
    }

    int size() {
        return event.bytes() + ATTRIBUTE_OVERHEAD_BYTES;
    }

    boolean expiredAt(long nowNanos) {
        return nowNanos - deadlineNanos > 0;
    }
}
