package io.eventsink.service.delivery;

import io.eventsink.service.delivery.DeliveryException.Reason;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admits events within the pending bound and ends each one: stored (its request may answer 200) or
 * failed with a reason. Every accepted event ends here exactly once.
 */
final class Settlement {

    private final AtomicInteger pending = new AtomicInteger();
    private final int maxPending;
    private final DeliveryMetrics metrics;

    Settlement(int maxPending, DeliveryMetrics metrics) {
        this.maxPending = maxPending;
        this.metrics = metrics;
        metrics.registerPending(pending::get);
    }

    /** Counts one more pending event, or says no when the bound is reached. */
    boolean admit() {
        int n;
        do {
            n = pending.get();
            if (n >= maxPending) {
                return false;
            }
        } while (!pending.compareAndSet(n, n + 1));
        return true;
    }

    int pending() {
        return pending.get();
    }

    int maxPending() {
        return maxPending;
    }

    boolean full() {
        return pending.get() >= maxPending;
    }

    void stored(PendingEvent p) {
        pending.decrementAndGet();
        metrics.delivered();
        p.done.complete(null);
    }

    /** The pipeline stopped before the event could be sent. */
    void shuttingDown(PendingEvent p) {
        failed(p, Reason.SHUTTING_DOWN, "shutting down");
    }

    void failed(PendingEvent p, Reason reason, String message) {
        pending.decrementAndGet();
        metrics.failed();
        p.done.completeExceptionally(new DeliveryException(reason, message));
    }
}
