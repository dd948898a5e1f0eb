package io.eventsink.service.http;

import io.eventsink.service.epas.EventType;
import io.eventsink.service.observe.Histograms;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Meters of the HTTP side: accepted per event type, rejected per reason, request latency per status. */
public final class IngestMetrics {

    /** Why a request did not end with a stored event. */
    public enum RejectReason {
        INVALID_EVENT,
        MALFORMED_BODY,
        TOO_LARGE,
        ORIGIN_FORBIDDEN,
        BACKPRESSURE,
        UNAVAILABLE,
        TIMEOUT,
        SHUTTING_DOWN,
        QUEUE_REFUSED,
        OVERLOADED,
        REQUEST_TIMEOUT;

        final String tag = name().toLowerCase(java.util.Locale.ROOT);
    }

    private final MeterRegistry registry;
    private final Map<EventType, Counter> accepted = new EnumMap<>(EventType.class);
    private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);
    private final Map<Integer, Timer> requestTimers = new ConcurrentHashMap<>();

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (EventType type : EventType.values()) {
            accepted.put(
                    type,
                    registry.getOrCreate(Counter.builder("eventsink.events.accepted")
                            .description("Events stored in the queue and answered with 200, per event type")
                            .tags(List.of(Tag.create("event", type.wireName())))));
        }
        for (RejectReason reason : RejectReason.values()) {
            rejected.put(
                    reason,
                    registry.getOrCreate(Counter.builder("eventsink.events.rejected")
                            .description("POST / requests answered with an error, per reason")
                            .tags(List.of(Tag.create("reason", reason.tag)))));
        }
    }

    void accepted(EventType type) {
        accepted.get(type).increment();
    }

    public void rejected(RejectReason reason) {
        rejected.get(reason).increment();
    }

    /** A routing filter that times every request on the public port. */
    public io.helidon.webserver.http.Filter requestTimer() {
        return (chain, req, res) -> {
            long start = System.nanoTime();
            try {
                chain.proceed();
            } finally {
                request(res.status().code(), System.nanoTime() - start);
            }
        };
    }

    /**
     * An answer Helidon gave before routing (broken HTTP, a declared body over the limit): it never
     * passes the request timer, but dashboards count answers by status from that timer.
     */
    void answeredBeforeRouting(int status) {
        request(status, 0);
    }

    private void request(int status, long nanos) {
        requestTimers
                .computeIfAbsent(
                        status,
                        s -> registry.getOrCreate(Timer.builder("eventsink.http.request")
                                .buckets(Histograms.LATENCY_BUCKETS)
                                .description("Latency of requests on the public port, per status code")
                                .tags(List.of(Tag.create("status", Integer.toString(s))))))
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
