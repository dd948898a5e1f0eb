package io.eventsink.service.delivery;

import io.eventsink.service.delivery.DeliveryException.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Group-commit delivery: request threads submit events and wait; a dispatcher packs whatever is
 * waiting into batches ({@link BatchPacker}) and sends each on its own virtual thread. A future
 * completes only once the destination stored its event, so the HTTP layer can answer 200 without
 * ever claiming an event that is later lost. Failed entries are retried ({@link Backoff}) until
 * their deadline; a destination that stops answering is detected and probed ({@link Reachability}).
 *
 * <p>Bounded everywhere: at most {@code maxPending} events are accepted but not yet delivered
 * (more are refused at once with {@link Reason#BACKPRESSURE}), and at most {@code maxInflight}
 * batches are on the wire. When idle a lone event is sent immediately; while batches are in
 * flight the dispatcher lingers briefly so the next batch fills.
 */
public final class DeliveryPipeline implements AutoCloseable {

    private static final int FAILURES_BEFORE_UNREACHABLE = 3;
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    private static final long DISPATCHER_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final BatchWriter writer;
    private final DeliveryMetrics metrics;
    private final int maxPending;
    private final long lingerNanos;
    private final long timeoutNanos;
    private final int maxInflight;
    private final Semaphore inflight;
    private final LinkedBlockingDeque<PendingEvent> waiting = new LinkedBlockingDeque<>();
    private final AtomicInteger pending = new AtomicInteger();
    /** Held by the request thread that is writing for everyone (inline writers only). */
    private final AtomicBoolean writing = new AtomicBoolean();

    private final BatchPacker packer;
    private final Backoff backoff = Backoff.DEFAULT;
    private final Reachability reachability;
    private final ScheduledExecutorService timers;
    private final ExecutorService senders;
    private final Thread dispatcher;

    private volatile boolean accepting = true;
    private volatile boolean stopped;

    public DeliveryPipeline(
            BatchWriter writer,
            DeliveryMetrics metrics,
            int maxPending,
            Duration linger,
            int maxInflight,
            Duration deliveryTimeout) {
        this.writer = writer;
        this.metrics = metrics;
        this.maxPending = maxPending;
        this.lingerNanos = linger.toNanos();
        this.timeoutNanos = deliveryTimeout.toNanos();
        this.maxInflight = maxInflight;
        this.inflight = new Semaphore(maxInflight);
        this.packer = new BatchPacker(waiting, writer.maxBatchEntries(), writer.maxBatchBytes(), this::expired);
        this.timers = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("eventsink-delivery-timer").factory());
        this.reachability = new Reachability(writer, timers, FAILURES_BEFORE_UNREACHABLE, PROBE_INTERVAL);
        // A write blocks on the network: a virtual thread per batch, at most maxInflight of them.
        this.senders = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("eventsink-sender-", 0).factory());
        this.dispatcher =
                Thread.ofPlatform().daemon().name("eventsink-dispatcher").unstarted(this::dispatch);
        metrics.registerPending(pending::get);
        if (!writer.inline()) {
            dispatcher.start();
        }
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
        int n;
        do {
            n = pending.get();
            if (n >= maxPending) {
                return CompletableFuture.failedFuture(
                        new DeliveryException(Reason.BACKPRESSURE, "too many events pending delivery"));
            }
        } while (!pending.compareAndSet(n, n + 1));
        PendingEvent p = new PendingEvent(event, System.nanoTime() + timeoutNanos);
        waiting.offerLast(p);
        if (writer.inline()) {
            writeInline();
        }
        return p.done;
    }

    /** Events accepted and not yet delivered or failed. */
    public int pending() {
        return pending.get();
    }

    /** Whether new events would be accepted: reachable, accepting, and room in the buffer. */
    public boolean ready() {
        return accepting && reachability.reachable() && pending.get() < maxPending;
    }

    /** Whether the destination answered the most recent calls. */
    public boolean reachable() {
        return reachability.reachable();
    }

    public boolean accepting() {
        return accepting;
    }

    public int maxPending() {
        return maxPending;
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
        while (pending.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        int left = pending.get();
        stopped = true;
        try {
            dispatcher.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Anything still waiting will never be sent: fail it so waiting requests answer 503.
        PendingEvent p;
        while ((p = waiting.pollFirst()) != null) {
            fail(p, Reason.SHUTTING_DOWN, "shutting down");
        }
        timers.shutdownNow();
        senders.shutdownNow();
        writer.close();
        metrics.unregisterPending();
        return left;
    }

    @Override
    public void close() {
        drain(Duration.ZERO);
    }

    private void dispatch() {
        try {
            while (!stopped) {
                // Group commit: with nothing on the wire send at once, otherwise linger so the batch fills.
                List<PendingEvent> batch = packer.next(
                        DISPATCHER_POLL_NANOS, () -> inflight.availablePermits() < maxInflight ? lingerNanos : 0);
                if (batch.isEmpty()) {
                    continue;
                }
                inflight.acquire();
                try {
                    senders.execute(() -> send(batch));
                } catch (RejectedExecutionException shuttingDown) {
                    inflight.release();
                    batch.forEach(e -> fail(e, Reason.SHUTTING_DOWN, "shutting down"));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Group commit without a dispatcher, for writers whose writes are quick local I/O (stdout):
     * whichever request finds no write in progress writes everything waiting, its own event and
     * those of the requests that arrived meanwhile. Saves two thread hand-offs per event.
     */
    private void writeInline() {
        while (!waiting.isEmpty() && writing.compareAndSet(false, true)) {
            try {
                List<PendingEvent> batch;
                while (!(batch = packer.next(0, () -> 0)).isEmpty()) {
                    inflight.acquireUninterruptibly();
                    send(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                writing.set(false);
            }
            // Loop: an event queued after our last look but before we let go must not be stranded.
        }
    }

    private void expired(PendingEvent p) {
        fail(p, Reason.TIMEOUT, "not delivered in time" + unavailableSuffix());
    }

    private void send(List<PendingEvent> batch) {
        List<QueuedEvent> events = new ArrayList<>(batch.size());
        for (PendingEvent p : batch) {
            p.attempts++;
            events.add(p.event);
        }
        metrics.batch(batch.size());
        long start = System.nanoTime();
        List<BatchWriter.EntryOutcome> outcomes;
        try {
            outcomes = writer.write(events);
        } catch (WriteFailure e) {
            inflight.release();
            metrics.call(System.nanoTime() - start, false);
            reachability.failed(e);
            batch.forEach(this::retryOrFail);
            return;
        } catch (RuntimeException e) {
            inflight.release();
            metrics.call(System.nanoTime() - start, false);
            reachability.failed(new WriteFailure(WriteFailure.Kind.UNREACHABLE, e.toString(), e));
            batch.forEach(this::retryOrFail);
            return;
        }
        inflight.release();
        metrics.call(System.nanoTime() - start, true);
        reachability.succeeded();
        for (int i = 0; i < batch.size(); i++) {
            PendingEvent p = batch.get(i);
            switch (outcomes.get(i)) {
                case DELIVERED -> deliver(p);
                case RETRY -> retryOrFail(p);
                case REJECTED -> fail(p, Reason.REJECTED, "the queue refused the message");
            }
        }
    }

    private void retryOrFail(PendingEvent p) {
        long delayMs = backoff.delayMs(p.attempts, ThreadLocalRandom.current());
        if (p.expiredAt(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs))) {
            fail(
                    p,
                    reachability.reachable() ? Reason.TIMEOUT : Reason.UNAVAILABLE,
                    "not delivered in time" + unavailableSuffix());
            return;
        }
        metrics.retry();
        try {
            timers.schedule(
                    () -> {
                        waiting.offerFirst(p);
                        if (writer.inline()) {
                            writeInline();
                        }
                    },
                    delayMs,
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            fail(p, Reason.SHUTTING_DOWN, "shutting down");
        }
    }

    private void deliver(PendingEvent p) {
        pending.decrementAndGet();
        metrics.delivered();
        p.done.complete(null);
    }

    private void fail(PendingEvent p, Reason reason, String message) {
        pending.decrementAndGet();
        metrics.failed();
        p.done.completeExceptionally(new DeliveryException(reason, message));
    }

    private String unavailableSuffix() {
        return reachability.reachable() ? "" : " (queue unavailable)";
    }
}
