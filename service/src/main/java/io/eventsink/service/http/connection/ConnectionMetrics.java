package io.eventsink.service.http.connection;

import io.eventsink.service.metrics.Histograms;
import io.eventsink.service.metrics.Meters;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/** Meters of the public port's connections: how many are open, and why the guard closed others. */
public final class ConnectionMetrics {

    /** Why the guard closed (or refused) a connection. */
    public enum Reason {
        HEAD_TIMEOUT,
        BODY_TIMEOUT,
        SEND_TIMEOUT,
        IDLE_TIMEOUT,
        OVER_LIMIT;

        final String tag = name().toLowerCase(Locale.ROOT);
    }

    private final Meters registry;
    private final Map<Reason, Counter> closed = new EnumMap<>(Reason.class);
    private final LongConsumer onRequestTimeout;
    private final Timer lateness;
    private Gauge<Integer> open;

    /**
     * @param onRequestTimeout told of every 408 the guard answers, with the nanoseconds since the
     *     request's first byte (the HTTP side counts it as a rejection and as an answer)
     */
    public ConnectionMetrics(MeterRegistry registry, LongConsumer onRequestTimeout) {
        this(Meters.of(registry), onRequestTimeout);
    }

    public ConnectionMetrics(Meters registry, LongConsumer onRequestTimeout) {
        this.registry = registry;
        this.onRequestTimeout = onRequestTimeout;
        this.lateness = registry.getOrCreate(Timer.builder("eventsink.connections.close.lateness")
                .buckets(Histograms.LATENCY_BUCKETS)
                .description("How long after a client's deadline (head, body, send, idle) the guard had answered"
                        + " and closed its connection: a pod that falls behind closes late"));
        for (Reason r : Reason.values()) {
            closed.put(
                    r,
                    registry.getOrCreate(Counter.builder("eventsink.connections.closed")
                            .description(
                                    "Connections on the public port closed (or refused) by a deadline or the cap, per reason")
                            .tags(List.of(Tag.create("reason", r.tag)))));
        }
    }

    void registerOpen(Supplier<Integer> count) {
        open = registry.getOrCreate(
                Gauge.builder("eventsink.connections.open", count).description("Open connections on the public port"));
    }

    void unregisterOpen() {
        if (open != null) {
            registry.remove(open);
        }
    }

    void closed(Reason reason) {
        closed.get(reason).increment();
    }

    void closedAfterDeadline(long nanosPastDeadline) {
        lateness.record(Math.max(0, nanosPastDeadline), TimeUnit.NANOSECONDS);
    }

    void requestTimedOut(long nanosSinceFirstByte) {
        onRequestTimeout.accept(nanosSinceFirstByte);
    }
}
