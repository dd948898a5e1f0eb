package io.eventsink.service.delivery;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether the destination answers. After a few consecutive failed calls it counts as unreachable:
 * the pipeline then refuses new events at once (instead of parking every request for the full
 * delivery timeout) and readiness goes DOWN, while a probe asks the destination at a fixed
 * interval until it answers. Throttling does not count: a destination that throttles is up.
 */
final class Reachability {

    private static final System.Logger LOG = System.getLogger(Reachability.class.getName());

    private final BatchWriter writer;
    private final ScheduledExecutorService timers;
    private final int failuresBeforeUnreachable;
    private final long probeIntervalMs;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile boolean reachable = true;
    private volatile String lastError = "";

    Reachability(
            BatchWriter writer,
            ScheduledExecutorService timers,
            int failuresBeforeUnreachable,
            Duration probeInterval) {
        this.writer = writer;
        this.timers = timers;
        this.failuresBeforeUnreachable = failuresBeforeUnreachable;
        this.probeIntervalMs = probeInterval.toMillis();
    }

    boolean reachable() {
        return reachable;
    }

    /** What the last failed call said, for health details and 503 bodies. */
    String lastError() {
        return lastError;
    }

    void succeeded() {
        consecutiveFailures.set(0);
        if (!reachable) {
            reachable = true;
            LOG.log(Level.INFO, "Queue " + writer.describe() + " reachable again");
        }
    }

    void failed(WriteFailure failure) {
        lastError = failure.getMessage();
        if (failure.kind() == WriteFailure.Kind.THROTTLED) {
            return;
        }
        if (consecutiveFailures.incrementAndGet() >= failuresBeforeUnreachable && reachable) {
            reachable = false;
            LOG.log(
                    Level.WARNING,
                    "Queue " + writer.describe() + " unreachable, refusing new events until it answers: " + lastError);
            scheduleProbe();
        }
    }

    private void scheduleProbe() {
        if (!probing.compareAndSet(false, true)) {
            return;
        }
        try {
            // The probe blocks on the network: run it on a virtual thread, not the timer.
            timers.schedule(
                    () -> Thread.ofVirtual().name("eventsink-probe").start(this::probe),
                    probeIntervalMs,
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            probing.set(false);
        }
    }

    private void probe() {
        probing.set(false);
        if (reachable) {
            return;
        }
        try {
            writer.probe();
            succeeded();
        } catch (WriteFailure e) {
            if (e.kind() == WriteFailure.Kind.THROTTLED) {
                succeeded(); // it answered
                return;
            }
            lastError = e.getMessage();
            scheduleProbe();
        } catch (RuntimeException e) {
            lastError = e.toString();
            scheduleProbe();
        }
    }
}
