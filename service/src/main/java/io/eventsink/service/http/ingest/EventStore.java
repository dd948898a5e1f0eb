package io.eventsink.service.http.ingest;

import io.eventsink.service.delivery.DeliveryException;
import io.eventsink.service.delivery.DeliveryPipeline;
import io.eventsink.service.delivery.QueuedEvent;
import io.eventsink.service.epas.EventType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Hands valid events to the delivery pipeline and waits until the queue has stored each one or
 * failed it (group commit): a request is answered only once the fate of every event is known. The
 * routes of {@code POST /} and {@code /cmcd} share it.
 */
public final class EventStore {

    /** What became of one event. */
    public sealed interface Outcome permits Stored, NotStored {}

    public record Stored() implements Outcome {}

    public record NotStored(Rejection rejection, String reason) implements Outcome {}

    private final DeliveryPipeline pipeline;
    private final IngestMetrics metrics;
    /** Requests wait a little longer than the pipeline's own deadline, which always answers first. */
    private final long waitNanos;

    public EventStore(DeliveryPipeline pipeline, IngestMetrics metrics, Duration deliveryTimeout) {
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.waitNanos = deliveryTimeout.plusSeconds(2).toNanos();
    }

    /** Stores the events (all submitted before any is awaited); one outcome per event, in order. */
    public List<Outcome> store(List<QueuedEvent> events, List<EventType> types) {
        List<CompletableFuture<Void>> pending = new ArrayList<>(events.size());
        for (QueuedEvent e : events) {
            pending.add(pipeline.submit(e));
        }
        long deadline = System.nanoTime() + waitNanos;
        List<Outcome> outcomes = new ArrayList<>(events.size());
        for (int i = 0; i < pending.size(); i++) {
            Outcome o = await(pending.get(i), deadline);
            if (o instanceof Stored) {
                metrics.accepted(types.get(i));
            } else if (o instanceof NotStored n) {
                metrics.rejected(n.rejection());
            }
            outcomes.add(o);
        }
        return outcomes;
    }

    private static Outcome await(CompletableFuture<Void> stored, long deadline) {
        try {
            stored.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return new Stored();
        } catch (ExecutionException e) {
            DeliveryException d = e.getCause() instanceof DeliveryException de
                    ? de
                    : new DeliveryException(DeliveryException.Reason.UNAVAILABLE, "delivery failed");
            return new NotStored(Rejection.of(d.reason()), d.getMessage());
        } catch (TimeoutException e) {
            return new NotStored(Rejection.TIMEOUT, "not delivered in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new NotStored(Rejection.SHUTTING_DOWN, "shutting down");
        }
    }
}
