package io.eventsink.service.http.ingest;

import io.eventsink.service.epas.EventType;
import io.eventsink.service.metrics.Histograms;
import io.eventsink.service.metrics.Meters;
import io.helidon.http.HttpException;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import io.helidon.webserver.CloseConnectionException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Meters of the HTTP side: accepted per event type, rejected per reason, request latency per status. */
public final class IngestMetrics {

    private final Meters registry;
    private final Map<EventType, Counter> accepted;
    private final Map<Rejection, Counter> rejected;
    private final Map<Integer, Timer> requestTimers = new ConcurrentHashMap<>();
    private final Counter cmcdReceived;
    private final Map<EventType, Counter> cmcdProduced;
    private final Map<String, Counter> cmcdSkipped = new ConcurrentHashMap<>();

    public IngestMetrics(MeterRegistry registry) {
        this(Meters.of(registry));
    }

    public IngestMetrics(Meters registry) {
        this.registry = registry;
        this.accepted = counters(
                EventType.class,
                "eventsink.events.accepted",
                "Events stored in the queue and answered with 200, per event type",
                "event",
                EventType::wireName);
        this.cmcdReceived = registry.getOrCreate(Counter.builder("eventsink.cmcd.reports.received")
                .description("CMCD reports received on /cmcd (body lines, header or query reports, JSON entries)"));
        this.cmcdProduced = counters(
                EventType.class,
                "eventsink.cmcd.events.produced",
                "EPAS events made from CMCD reports, per event type",
                "event",
                EventType::wireName);
        this.rejected = counters(
                Rejection.class,
                "eventsink.events.rejected",
                "Events not stored (or whole requests refused), per reason",
                "reason",
                Rejection::tag);
    }

    /** One counter of {@code name} per constant of {@code keys}, told apart by the tag {@code tag}. */
    private <K extends Enum<K>> Map<K, Counter> counters(
            Class<K> keys, String name, String description, String tag, Function<K, String> tagValue) {
        Map<K, Counter> counters = new EnumMap<>(keys);
        for (K key : keys.getEnumConstants()) {
            counters.put(
                    key,
                    registry.getOrCreate(Counter.builder(name)
                            .description(description)
                            .tags(List.of(Tag.create(tag, tagValue.apply(key))))));
        }
        return counters;
    }

    public void cmcdReceived(int reports) {
        cmcdReceived.increment(reports);
    }

    public void cmcdProduced(EventType type) {
        cmcdProduced.get(type).increment();
    }

    /** Reports that gave no event, per reason: unparsable, or a {@link io.eventsink.service.cmcd.CmcdToEpas.Skip}. */
    public void cmcdSkipped(String reason, int reports) {
        if (reports > 0) {
            cmcdSkipped
                    .computeIfAbsent(
                            reason,
                            r -> registry.getOrCreate(Counter.builder("eventsink.cmcd.reports.skipped")
                                    .description("CMCD reports that gave no EPAS event, per reason")
                                    .tags(List.of(Tag.create("reason", r)))))
                    .increment(reports);
        }
    }

    public void accepted(EventType type) {
        accepted.get(type).increment();
    }

    public void rejected(Rejection reason) {
        rejected.get(reason).increment();
    }

    /** A routing filter that times every request on the public port, by the status it was answered. */
    public io.helidon.webserver.http.Filter requestTimer() {
        return (chain, req, res) -> {
            long start = System.nanoTime();
            try {
                chain.proceed();
            } catch (CloseConnectionException noAnswer) {
                // A deadline passed (the connection guard answers 408 and counts it) or the client left.
                throw noAnswer;
            } catch (RuntimeException e) {
                // Not sent yet: Helidon's error handling answers once this filter is left.
                if (!res.isSent()) {
                    request(e instanceof HttpException http ? http.status().code() : 500, System.nanoTime() - start);
                }
                throw e;
            }
            request(res.status().code(), System.nanoTime() - start);
        };
    }

    /** A request the connection guard answered 408 at its head or body deadline. */
    public void requestTimedOut(long nanosSinceFirstByte) {
        rejected(Rejection.REQUEST_TIMEOUT);
        request(408, nanosSinceFirstByte);
    }

    /**
     * An answer Helidon gave before routing (broken HTTP, a declared body over the limit): it never
     * passes the request timer, but dashboards count answers by status from that timer.
     */
    public void answeredBeforeRouting(int status) {
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
