package io.eventsink.service.delivery;

import java.util.concurrent.CompletableFuture;

/** An accepted event on its way to the queue, with the future its request waits on. */
final class PendingEvent {

    final QueuedEvent event;
    final long deadlineNanos;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    int attempts;
    /** What the packing made of it before it joined the others (a message, or a packed line). */
    Object encoded;
    /** Its share of a message's payload, in bytes. */
    int encodedBytes;

    PendingEvent(QueuedEvent event, long deadlineNanos) {
        this.event = event;
        this.deadlineNanos = deadlineNanos;
    }

    boolean expiredAt(long nowNanos) {
        return nowNanos - deadlineNanos > 0;
    }
}
