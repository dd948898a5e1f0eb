package io.eventsink.service.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Calls on virtual sender threads, at most {@code maxInflight} on the wire (group commit). There is
 * no dispatcher thread: the request whose event makes a call due, a sender whose call ended, or the
 * timer of a linger starts the next call.
 */
final class GroupCommitSender implements Sender {

    /** Returned under the lock when the sender has stopped and the event was not taken. */
    private static final List<OutboundMessage> REFUSED = new ArrayList<>(0);

    private final Locked locked = new Locked();
    private final Outbox outbox;
    private final Calls calls;
    private final Settlement settlement;
    private final int maxInflight;
    private final ScheduledExecutorService timers;
    // A write blocks on the network: virtual senders.
    private final ExecutorService senders = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("eventsink-sender-", 0).factory());

    // under the lock
    private int inflight;
    private long timerAtNanos = Packing.NO_DEADLINE;
    private boolean stopped;

    GroupCommitSender(
            Outbox outbox, Calls calls, Settlement settlement, int maxInflight, ScheduledExecutorService timers) {
        this.outbox = outbox;
        this.calls = calls;
        this.settlement = settlement;
        this.maxInflight = maxInflight;
        this.timers = timers;
        calls.requeueTo(this);
    }

    @Override
    public void submit(PendingEvent p) {
        startOrRefuse(
                locked.get(() -> {
                    if (stopped) {
                        return REFUSED;
                    }
                    long now = System.nanoTime();
                    outbox.add(p, now, inflight == 0);
                    return dueCall(now);
                }),
                List.of(p));
    }

    @Override
    public void retry(List<PendingEvent> events) {
        requeue(events, false);
    }

    @Override
    public void alone(List<PendingEvent> events) {
        requeue(events, true);
    }

    @Override
    public List<PendingEvent> stop() {
        List<PendingEvent> waiting = locked.get(() -> {
            stopped = true;
            return outbox.takeAll();
        });
        senders.shutdownNow();
        return waiting;
    }

    private void requeue(List<PendingEvent> events, boolean alone) {
        startOrRefuse(
                locked.get(() -> {
                    if (stopped) {
                        return REFUSED; // it fell due after the drain took what was waiting
                    }
                    long now = System.nanoTime();
                    if (alone) {
                        outbox.addAlone(events, now);
                    } else {
                        outbox.addRetried(events, now);
                    }
                    return dueCall(now);
                }),
                events);
    }

    private void startOrRefuse(List<OutboundMessage> call, List<PendingEvent> events) {
        if (call == REFUSED) {
            events.forEach(settlement::shuttingDown);
        } else if (call != null) {
            startSender(call);
        }
    }

    /** Under the lock: the call to make now, counted in flight, or null (then a timer is set if needed). */
    private List<OutboundMessage> dueCall(long now) {
        while (!stopped && inflight < maxInflight) {
            List<OutboundMessage> call = outbox.takeDue(now, inflight);
            if (call == null) {
                setTimer(outbox.nextDueNanos(inflight), now);
                return null;
            }
            if (!call.isEmpty()) {
                inflight++;
                return call;
            }
            // everything taken had expired: look again
        }
        return null; // at the limit: a call that ends looks again
    }

    /** Under the lock: makes sure a timer looks again by {@code dueNanos}. */
    private void setTimer(long dueNanos, long now) {
        if (dueNanos == Packing.NO_DEADLINE || timerAtNanos - dueNanos <= 0) {
            return;
        }
        timerAtNanos = dueNanos;
        try {
            timers.schedule(this::timerEnded, Math.max(0, dueNanos - now), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            timerAtNanos = Packing.NO_DEADLINE;
        }
    }

    private void timerEnded() {
        List<OutboundMessage> call = locked.get(() -> {
            timerAtNanos = Packing.NO_DEADLINE;
            return dueCall(System.nanoTime());
        });
        if (call != null) {
            startSender(call);
        }
    }

    private void startSender(List<OutboundMessage> first) {
        try {
            senders.execute(() -> {
                for (List<OutboundMessage> call = first; call != null; call = endCall()) {
                    calls.send(call);
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            for (List<OutboundMessage> call = first; call != null; call = endCall()) {
                call.forEach(m -> m.events().forEach(settlement::shuttingDown));
            }
        }
    }

    /** Takes a call off the wire; returns the next one due, counted in flight, or null. */
    private List<OutboundMessage> endCall() {
        return locked.get(() -> {
            inflight--;
            return dueCall(System.nanoTime());
        });
    }
}
