package io.eventsink.service.delivery;

import io.eventsink.service.delivery.DeliveryException.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group-commit delivery: request threads submit events and wait; waiting events are packed into
 * batches ({@link BatchPacker}), each sent on a virtual thread. A future completes only once the
 * destination stored its event, so the HTTP layer can answer 200 without ever claiming an event
 * that is later lost. Failed entries are retried ({@link Backoff}) until
 * their deadline; a destination that stops answering is detected and probed ({@link Reachability}).
 *
 * <p>Bounded everywhere: at most {@code maxPending} events are accepted but not yet delivered
 * (more are refused at once with {@link Reason#BACKPRESSURE}), and at most {@code maxInflight}
 * batches are on the wire. When idle a lone event is sent immediately; while batches are in
 * flight the next one waits up to the linger to fill.
 *
 * <p>There is no dispatcher thread: the request that fills a batch, a sender whose call ended, or
 * the linger timer starts the next call. A dispatcher woken for every event cost ~7 % of the CPU
 * per event in thread switches (bench/README.md).
 */
public final class DeliveryPipeline implements AutoCloseable {

    private static final int FAILURES_BEFORE_UNREACHABLE = 3;
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

    private final BatchWriter writer;
    private final DeliveryMetrics metrics;
    private final int maxPending;
    private final long lingerNanos;
    private final long timeoutNanos;
    private final int maxInflight;
    private final AtomicInteger pending = new AtomicInteger();
    /** Held by the request thread that is writing for everyone (inline writers only). */
    private final AtomicBoolean writing = new AtomicBoolean();

    /** Guards the packer, the in-flight count and the linger timer. */
    private final ReentrantLock lock = new ReentrantLock();

    private final BatchPacker packer;
    private int inflight;
    private boolean lingerTimerSet;

    private final Backoff backoff = Backoff.DEFAULT;
    private final Reachability reachability;
    private final ScheduledExecutorService timers;
    private final ExecutorService senders;

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
        this.packer = new BatchPacker(writer.maxBatchEntries(), writer.maxBatchBytes(), this::expired);
        this.timers = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("eventsink-delivery-timer").factory());
        this.reachability = new Reachability(writer, timers, FAILURES_BEFORE_UNREACHABLE, PROBE_INTERVAL);
        // A write blocks on the network: virtual senders, at most maxInflight batches on the wire.
        this.senders = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("eventsink-sender-", 0).factory());
        metrics.registerPending(pending::get);
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
        enqueue(p, false);
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
        // Anything still waiting will never be sent: fail it so waiting requests answer 503.
        List<PendingEvent> unsent;
        lock.lock();
        try {
            stopped = true;
            unsent = packer.takeAll();
        } finally {
            lock.unlock();
        }
        unsent.forEach(p -> fail(p, Reason.SHUTTING_DOWN, "shutting down"));
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

    /** Queues an event (a retry goes first) and starts a batch if one is due. */
    private void enqueue(PendingEvent p, boolean retry) {
        List<PendingEvent> batch = null;
        boolean refused = false;
        lock.lock();
        try {
            long now = System.nanoTime();
            if (stopped) {
                refused = true; // a retry that fell due after the drain took what was waiting
            } else if (retry) {
                packer.addFirst(p, now);
            } else {
                packer.addLast(p, now);
            }
            if (!refused && !writer.inline()) {
                batch = dueBatch(now);
            }
        } finally {
            lock.unlock();
        }
        if (refused) {
            fail(p, Reason.SHUTTING_DOWN, "shutting down");
        } else if (writer.inline()) {
            writeInline();
        } else if (batch != null) {
            startSender(batch);
        }
    }

    /**
     * Under the lock: the batch to send now, counted in flight, or null. Group commit: with nothing
     * on the wire a batch goes at once; otherwise when it is full or its oldest event has waited the
     * linger, for which a timer is set.
     */
    private List<PendingEvent> dueBatch(long now) {
        while (!stopped && !packer.isEmpty() && inflight < maxInflight) {
            long lingerEnd = packer.oldestQueuedAtNanos() + lingerNanos;
            if (inflight > 0 && !packer.full() && now - lingerEnd < 0) {
                if (!lingerTimerSet) {
                    lingerTimerSet = true;
                    scheduleLingerEnd(lingerEnd - now);
                }
                return null;
            }
            List<PendingEvent> batch = packer.take(now);
            if (!batch.isEmpty()) {
                inflight++;
                return batch;
            }
            // everything taken had expired: look again
        }
        return null;
    }

    private void scheduleLingerEnd(long delayNanos) {
        try {
            timers.schedule(this::lingerEnded, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            lingerTimerSet = false;
        }
    }

    private void lingerEnded() {
        List<PendingEvent> batch;
        lock.lock();
        try {
            lingerTimerSet = false;
            batch = dueBatch(System.nanoTime());
        } finally {
            lock.unlock();
        }
        if (batch != null) {
            startSender(batch);
        }
    }

    private void startSender(List<PendingEvent> first) {
        try {
            senders.execute(() -> sendWhileDue(first));
        } catch (RejectedExecutionException shuttingDown) {
            for (List<PendingEvent> batch = first; batch != null; batch = endBatch()) {
                batch.forEach(e -> fail(e, Reason.SHUTTING_DOWN, "shutting down"));
            }
        }
    }

    /** A sender's life: its batch, then whichever batches are due when each call ends. */
    private void sendWhileDue(List<PendingEvent> first) {
        for (List<PendingEvent> batch = first; batch != null; batch = endBatch()) {
            send(batch);
        }
    }

    /** Takes a batch off the wire; returns the next one due, counted in flight, or null. */
    private List<PendingEvent> endBatch() {
        lock.lock();
        try {
            inflight--;
            return dueBatch(System.nanoTime());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Group commit without a sender thread, for writers whose writes are quick local I/O (stdout):
     * whichever request finds no write in progress writes everything waiting, its own event and
     * those of the requests that arrived meanwhile. Saves two thread hand-offs per event.
     */
    private void writeInline() {
        while (writing.compareAndSet(false, true)) {
            try {
                List<PendingEvent> batch;
                while (!(batch = takeAnyBatch()).isEmpty()) {
                    send(batch);
                }
            } finally {
                writing.set(false);
            }
            // Loop: an event queued after our last look but before we let go must not be stranded.
            lock.lock();
            try {
                if (packer.isEmpty()) {
                    return;
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private List<PendingEvent> takeAnyBatch() {
        lock.lock();
        try {
            return packer.take(System.nanoTime());
        } finally {
            lock.unlock();
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
            metrics.call(System.nanoTime() - start, false);
            reachability.failed(e);
            batch.forEach(this::retryOrFail);
            return;
        } catch (RuntimeException e) {
            metrics.call(System.nanoTime() - start, false);
            reachability.failed(new WriteFailure(WriteFailure.Kind.UNREACHABLE, e.toString(), e));
            batch.forEach(this::retryOrFail);
            return;
        }
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
            timers.schedule(() -> enqueue(p, true), delayMs, TimeUnit.MILLISECONDS);
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
