package io.eventsink.service.delivery;

import io.eventsink.service.delivery.DeliveryException.Reason;
import io.eventsink.service.delivery.format.MessageFormat;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Group-commit delivery: request threads submit events and wait; waiting events become queue
 * messages ({@link Packing}: one each, or packed) which go out in calls ({@link Outbox}, {@link
 * Calls}). A future completes only once the destination stored its event, so the HTTP layer can
 * answer 200 without ever claiming an event that is later lost. Failed messages are retried until
 * their events' deadline; a destination that stops answering is detected and probed ({@link
 * Reachability}).
 *
 * <p>Bounded everywhere: at most {@code maxPending} events are accepted but not yet delivered (more
 * are refused at once with {@link Reason#BACKPRESSURE}), and at most {@code maxInflight} calls are on
 * the wire. When idle a lone event is sent immediately; while calls are in flight the next one waits
 * up to its linger to fill.
 */
public final class DeliveryPipeline implements AutoCloseable {

    private static final int FAILURES_BEFORE_UNREACHABLE = 3;
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

    private final BatchWriter writer;
    private final DeliveryMetrics metrics;
    private final long timeoutNanos;
    private final Settlement settlement;
    private final Packing packing;
    private final Reachability reachability;
    private final ScheduledExecutorService timers;
    private final Sender sender;

    private volatile boolean accepting = true;

    /** One event per message. */
    public DeliveryPipeline(
            BatchWriter writer,
            DeliveryMetrics metrics,
            int maxPending,
            Duration batchLinger,
            int maxInflight,
            Duration deliveryTimeout) {
        this(writer, MessageFormat.EVENT, metrics, maxPending, batchLinger, maxInflight, deliveryTimeout);
    }

    public DeliveryPipeline(
            BatchWriter writer,
            MessageFormat format,
            DeliveryMetrics metrics,
            int maxPending,
            Duration batchLinger,
            int maxInflight,
            Duration deliveryTimeout) {
        this.writer = writer;
        this.metrics = metrics;
        this.timeoutNanos = deliveryTimeout.toNanos();
        this.settlement = new Settlement(maxPending, metrics);
        this.packing = format.packed() ? new PackedMessages(format) : new EventPerMessage(batchLinger);
        this.timers = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("eventsink-delivery-timer").factory());
        this.reachability = new Reachability(writer, timers, FAILURES_BEFORE_UNREACHABLE, PROBE_INTERVAL);
        Calls calls = new Calls(writer, packing, settlement, reachability, metrics, timers);
        Outbox outbox = new Outbox(packing, writer.maxBatchEntries(), writer.maxBatchBytes(), calls::expired);
        this.sender = writer.inline()
                ? new InlineSender(outbox, calls, settlement)
                : new GroupCommitSender(outbox, calls, settlement, maxInflight, timers);
    }

    /**
     * Accepts an event for delivery. The returned future completes when the destination stored
     * it, or fails with a {@link DeliveryException} saying why not.
     */
    public CompletableFuture<Void> submit(QueuedEvent event) {
        if (!accepting) {
            return CompletableFuture.failedFuture(new DeliveryException(Reason.SHUTTING_DOWN, "shutting down"));
        }
        if (!reachability.reachable()) {
            return CompletableFuture.failedFuture(new DeliveryException(Reason.UNAVAILABLE, "queue unavailable"));
        }
        if (!settlement.admit()) {
            return CompletableFuture.failedFuture(
                    new DeliveryException(Reason.BACKPRESSURE, "too many events pending delivery"));
        }
        PendingEvent p = new PendingEvent(event, System.nanoTime() + timeoutNanos);
        packing.prepare(p);
        sender.submit(p);
        return p.done;
    }

    /** Events accepted and not yet delivered or failed. */
    public int pending() {
        return settlement.pending();
    }

    /** Whether new events would be accepted: reachable, accepting, and room in the buffer. */
    public boolean ready() {
        return accepting && reachability.reachable() && !settlement.full();
    }

    /** Whether the destination answered the most recent calls. */
    public boolean reachable() {
        return reachability.reachable();
    }

    public boolean accepting() {
        return accepting;
    }

    public int maxPending() {
        return settlement.maxPending();
    }

    public String lastError() {
        return reachability.lastError();
    }

    public String destination() {
        return writer.describe();
    }

    /**
     * Stops accepting, delivers what is pending (waiting at most {@code timeout}), then closes
     * the writer. Returns how many events were left undelivered (their requests got no 200).
     */
    public int drain(Duration timeout) {
        accepting = false;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (settlement.pending() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        int left = settlement.pending();
        // Anything still waiting will never be sent: fail it so waiting requests answer 503.
        List<PendingEvent> unsent = sender.stop();
        unsent.forEach(settlement::shuttingDown);
        timers.shutdownNow();
        writer.close();
        metrics.unregisterPending();
        return left;
    }

    @Override
    public void close() {
        drain(Duration.ZERO);
    }
}
