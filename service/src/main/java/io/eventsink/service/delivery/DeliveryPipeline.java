package io.eventsink.service.delivery;

import io.eventsink.service.delivery.DeliveryException.Reason;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Group-commit delivery: request threads submit events and wait; one dispatcher thread packs
 * whatever is waiting into batches and hands them to the {@link BatchWriter}. A future completes
 * only once the destination has stored its event, so the HTTP layer can answer 200 without ever
 * claiming an event that is later lost.
 *
 * <p>Bounded everywhere: at most {@code maxPending} events are accepted but not yet delivered
 * (more are refused at once with {@link Reason#BACKPRESSURE}), and at most {@code maxInflight}
 * batches are on the wire. When idle a lone event is sent immediately; while batches are in
 * flight the dispatcher lingers briefly so the next batch fills.
 */
public final class DeliveryPipeline implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DeliveryPipeline.class.getName());
    /** Room for the message attributes SQS counts towards the batch size. */
    static final int ATTRIBUTE_OVERHEAD_BYTES = 512;
    /** Consecutive failed calls after which the destination counts as unreachable. */
    private static final int FAILURES_BEFORE_UNREACHABLE = 3;

    private static final long PROBE_INTERVAL_MS = 1000;
    private static final long BASE_BACKOFF_MS = 25;
    private static final long MAX_BACKOFF_MS = 1000;

    private final BatchWriter writer;
    private final DeliveryMetrics metrics;
    private final int maxPending;
    private final long lingerNanos;
    private final long timeoutNanos;
    private final int maxInflight;
    private final Semaphore inflight;
    private final LinkedBlockingDeque<Pending> queue = new LinkedBlockingDeque<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicBoolean probing = new AtomicBoolean();
    /** Held by the request thread that is writing for everyone (synchronous writers only). */
    private final AtomicBoolean writing = new AtomicBoolean();

    private final ScheduledExecutorService timers;
    /**
     * Preparing a call (marshalling, signing) is CPU work inside the SDK: done on the dispatcher
     * it made one thread the ceiling (JFR showed it busy all the time), so batches are handed to
     * a pool as wide as the machine.
     */
    private final ExecutorService senders;

    private final Thread dispatcher;

    private volatile boolean accepting = true;
    private volatile boolean stopped;
    private volatile boolean reachable = true;
    private volatile String lastError = "";

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
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "eventsink-delivery-timer"));
        AtomicInteger senderCount = new AtomicInteger();
        this.senders = Executors.newFixedThreadPool(
                Math.max(2, Runtime.getRuntime().availableProcessors()),
                r -> daemon(r, "eventsink-sender-" + senderCount.incrementAndGet()));
        this.dispatcher = daemon(this::dispatch, "eventsink-dispatcher");
        metrics.registerPending(pending::get);
        if (!writer.synchronous()) {
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
        if (!reachable) {
            // Fail fast while the queue is down instead of parking every request for the full timeout.
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
        Pending p = new Pending(event, System.nanoTime() + timeoutNanos);
        queue.offerLast(p);
        if (writer.synchronous()) {
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
        return accepting && reachable && pending.get() < maxPending;
    }

    /** Whether the destination answered the most recent calls. */
    public boolean reachable() {
        return reachable;
    }

    public boolean accepting() {
        return accepting;
    }

    public int maxPending() {
        return maxPending;
    }

    public String lastError() {
        return lastError;
    }

    public String destination() {
        return writer.describe();
    }

    /** Refuses new events from now on; pending ones are still delivered. */
    public void stopAccepting() {
        accepting = false;
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
        // Anything still queued will never be sent: fail it so waiting requests answer 503.
        Pending p;
        while ((p = queue.pollFirst()) != null) {
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
        int maxEntries = writer.maxBatchEntries();
        int maxBytes = writer.maxBatchBytes();
        Pending carry = null;
        try {
            while (true) {
                Pending first = carry != null ? carry : queue.pollFirst(20, TimeUnit.MILLISECONDS);
                carry = null;
                if (first == null) {
                    if (stopped) {
                        return;
                    }
                    continue;
                }
                if (expired(first)) {
                    continue;
                }
                List<Pending> batch = new ArrayList<>(maxEntries);
                batch.add(first);
                int bytes = first.size();
                // Group commit: with nothing on the wire, send now; otherwise wait a moment to fill up.
                long lingerUntil = inflight.availablePermits() < maxInflight ? System.nanoTime() + lingerNanos : 0;
                while (batch.size() < maxEntries) {
                    long wait = lingerUntil - System.nanoTime();
                    Pending next = wait > 0 ? queue.pollFirst(wait, TimeUnit.NANOSECONDS) : queue.pollFirst();
                    if (next == null) {
                        break;
                    }
                    if (expired(next)) {
                        continue;
                    }
                    if (bytes + next.size() > maxBytes) {
                        carry = next;
                        break;
                    }
                    batch.add(next);
                    bytes += next.size();
                }
                inflight.acquire();
                List<Pending> ready = batch;
                senders.execute(() -> send(ready));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Group commit without a dispatcher, for writers that finish a write before returning
     * (stdout): whichever request finds no write in progress writes everything queued, its own
     * event and those of the requests that arrived meanwhile. Saves two thread hand-offs per event.
     */
    private void writeInline() {
        int maxEntries = writer.maxBatchEntries();
        int maxBytes = writer.maxBatchBytes();
        while (!queue.isEmpty() && writing.compareAndSet(false, true)) {
            try {
                List<Pending> batch = new ArrayList<>();
                int bytes = 0;
                Pending next;
                while ((next = queue.peekFirst()) != null) {
                    if (!batch.isEmpty() && (batch.size() >= maxEntries || bytes + next.size() > maxBytes)) {
                        inflight.acquireUninterruptibly();
                        send(batch);
                        batch = new ArrayList<>();
                        bytes = 0;
                    }
                    queue.pollFirst();
                    if (!expired(next)) {
                        batch.add(next);
                        bytes += next.size();
                    }
                }
                if (!batch.isEmpty()) {
                    inflight.acquireUninterruptibly();
                    send(batch);
                }
            } finally {
                writing.set(false);
            }
            // Loop: an event queued after our last look but before we let go must not be stranded.
        }
    }

    private boolean expired(Pending p) {
        if (System.nanoTime() - p.deadline > 0) {
            fail(p, Reason.TIMEOUT, "not delivered in time" + lastErrorSuffix());
            return true;
        }
        return false;
    }

    private void send(List<Pending> batch) {
        List<QueuedEvent> events = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            p.attempts++;
            events.add(p.event);
        }
        metrics.batch(batch.size());
        long start = System.nanoTime();
        CompletableFuture<List<BatchWriter.EntryOutcome>> call;
        try {
            call = writer.write(events);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((outcomes, error) -> {
            inflight.release();
            metrics.call(System.nanoTime() - start, error == null);
            if (error != null) {
                callFailed(error);
                for (Pending p : batch) {
                    retryOrFail(p);
                }
                return;
            }
            callSucceeded();
            for (int i = 0; i < batch.size(); i++) {
                Pending p = batch.get(i);
                switch (outcomes.get(i)) {
                    case DELIVERED -> deliver(p);
                    case RETRY -> retryOrFail(p);
                    case REJECTED -> fail(p, Reason.REJECTED, "the queue refused the message");
                }
            }
        });
    }

    private void retryOrFail(Pending p) {
        long backoffMs = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS << Math.min(p.attempts - 1, 10));
        backoffMs = ThreadLocalRandom.current().nextLong(backoffMs / 2, backoffMs + 1);
        long retryAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs);
        if (retryAt - p.deadline > 0) {
            fail(p, reachable ? Reason.TIMEOUT : Reason.UNAVAILABLE, "not delivered in time" + lastErrorSuffix());
            return;
        }
        metrics.retry();
        try {
            timers.schedule(
                    () -> {
                        queue.offerFirst(p);
                        if (writer.synchronous()) {
                            writeInline();
                        }
                    },
                    backoffMs,
                    TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            fail(p, Reason.SHUTTING_DOWN, "shutting down");
        }
    }

    private void deliver(Pending p) {
        pending.decrementAndGet();
        metrics.delivered();
        p.done.complete(null);
    }

    private void fail(Pending p, Reason reason, String message) {
        pending.decrementAndGet();
        metrics.failed();
        p.done.completeExceptionally(new DeliveryException(reason, message));
    }

    private void callSucceeded() {
        consecutiveFailures.set(0);
        if (!reachable) {
            reachable = true;
            LOG.log(Level.INFO, "Queue " + writer.describe() + " reachable again");
        }
    }

    private void callFailed(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause()
                : error;
        lastError = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        if (consecutiveFailures.incrementAndGet() >= FAILURES_BEFORE_UNREACHABLE && reachable) {
            reachable = false;
            LOG.log(
                    Level.WARNING,
                    "Queue " + writer.describe() + " unreachable, refusing new events until it answers: " + lastError);
            scheduleProbe();
        }
    }

    /** While unreachable, ask the destination once a second whether it is back. */
    private void scheduleProbe() {
        if (!probing.compareAndSet(false, true)) {
            return;
        }
        try {
            timers.schedule(this::probe, PROBE_INTERVAL_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            probing.set(false);
        }
    }

    private void probe() {
        probing.set(false);
        if (reachable || stopped) {
            return;
        }
        CompletableFuture<Void> call;
        try {
            call = writer.probe();
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((ok, error) -> {
            if (error == null) {
                callSucceeded();
            } else {
                callFailed(error);
                scheduleProbe();
            }
        });
    }

    private String lastErrorSuffix() {
        return reachable ? "" : " (queue unavailable)";
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** An accepted event with its waiting request. */
    private static final class Pending {
        final QueuedEvent event;
        final long deadline;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        int attempts;

        Pending(QueuedEvent event, long deadline) {
            this.event = event;
            this.deadline = deadline;
        }

        int size() {
            return event.bytes() + ATTRIBUTE_OVERHEAD_BYTES;
        }
    }
}
