package io.eventsink.service.delivery;

import io.eventsink.service.delivery.BatchWriter.EntryOutcome;
import io.eventsink.service.delivery.DeliveryException.Reason;
import io.eventsink.service.delivery.format.QueueMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Makes one call to the queue and settles its events by what the queue said of each message:
 * stored, refused for good, or retried after a back-off ({@link Backoff}) until their deadline. A
 * failed message fails and retries every event in it.
 */
final class Calls {

    /** Where retried events go back in: ahead of the others, sealed at once (or each alone). */
    interface Requeue {
        void retry(List<PendingEvent> events);

        void alone(List<PendingEvent> events);
    }

    private final BatchWriter writer;
    private final Packing packing;
    private final Settlement settlement;
    private final Reachability reachability;
    private final DeliveryMetrics metrics;
    private final ScheduledExecutorService timers;
    private final Backoff backoff = Backoff.DEFAULT;
    private Requeue requeue;

    Calls(
            BatchWriter writer,
            Packing packing,
            Settlement settlement,
            Reachability reachability,
            DeliveryMetrics metrics,
            ScheduledExecutorService timers) {
        this.writer = writer;
        this.packing = packing;
        this.settlement = settlement;
        this.reachability = reachability;
        this.metrics = metrics;
        this.timers = timers;
    }

    /** Set once by the sender that owns these calls, before the first one. */
    void requeueTo(Requeue requeue) {
        this.requeue = requeue;
    }

    /** Encodes the sealed messages and sends them (in more than one call if encoding split some). */
    void send(List<OutboundMessage> sealed) {
        List<OutboundMessage> encoded = new ArrayList<>(sealed.size());
        for (OutboundMessage m : sealed) {
            encoded.addAll(packing.encode(m));
        }
        int from = 0;
        while (from < encoded.size()) {
            int to = from + 1;
            long bytes = encoded.get(from).bytes();
            while (to < encoded.size()
                    && to - from < writer.maxBatchEntries()
                    && bytes + encoded.get(to).bytes() <= writer.maxBatchBytes()) {
                bytes += encoded.get(to++).bytes();
            }
            call(encoded.subList(from, to));
            from = to;
        }
    }

    /** An event found past its deadline before its call was made. */
    void expired(PendingEvent p) {
        settlement.failed(p, Reason.TIMEOUT, "not delivered in time" + unavailableSuffix());
    }

    private void call(List<OutboundMessage> messages) {
        List<QueueMessage> wire = new ArrayList<>(messages.size());
        int events = 0;
        for (OutboundMessage m : messages) {
            wire.add(m.wire());
            events += m.events().size();
            for (PendingEvent p : m.events()) {
                p.attempts++;
            }
        }
        metrics.batch(events);
        long start = System.nanoTime();
        List<EntryOutcome> outcomes;
        try {
            outcomes = writer.write(wire);
        } catch (WriteFailure | RuntimeException e) {
            metrics.call(System.nanoTime() - start, false);
            reachability.failed(
                    e instanceof WriteFailure f ? f : new WriteFailure(WriteFailure.Kind.UNREACHABLE, e.toString(), e));
            messages.forEach(m -> retryOrFail(m.events()));
            return;
        }
        metrics.call(System.nanoTime() - start, true);
        reachability.succeeded();
        for (int i = 0; i < messages.size(); i++) {
            List<PendingEvent> carried = messages.get(i).events();
            switch (outcomes.get(i)) {
                case DELIVERED -> carried.forEach(settlement::stored);
                case RETRY -> retryOrFail(carried);
                case REJECTED -> rejected(carried);
            }
        }
    }

    /** The queue refused a message for good: alone, its event is refused; packed, each gets its own verdict. */
    private void rejected(List<PendingEvent> carried) {
        if (carried.size() == 1) {
            settlement.failed(carried.getFirst(), Reason.REJECTED, "the queue refused the message");
        } else {
            requeue.alone(carried);
        }
    }

    private void retryOrFail(List<PendingEvent> events) {
        long delayMs = backoff.delayMs(events.getFirst().attempts, ThreadLocalRandom.current());
        long retryAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs);
        List<PendingEvent> again = new ArrayList<>(events.size());
        for (PendingEvent p : events) {
            if (p.expiredAt(retryAt)) {
                settlement.failed(
                        p,
                        reachability.reachable() ? Reason.TIMEOUT : Reason.UNAVAILABLE,
                        "not delivered in time" + unavailableSuffix());
            } else {
                metrics.retry();
                again.add(p);
            }
        }
        if (again.isEmpty()) {
            return;
        }
        try {
            timers.schedule(() -> requeue.retry(again), delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            again.forEach(settlement::shuttingDown);
        }
    }

    private String unavailableSuffix() {
        return reachability.reachable() ? "" : " (queue unavailable)";
    }
}
