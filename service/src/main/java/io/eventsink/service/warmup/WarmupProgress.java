package io.eventsink.service.warmup;

import io.helidon.health.HealthCheckResponse;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import java.util.List;

/**
 * Where the warm-up stands, for readiness ({@code /health/ready} details), the startup check
 * ({@code /health/started}) and the {@code eventsink_warmup_*} meters.
 */
public final class WarmupProgress {

    /** The stages of a warm-up. */
    public enum Stage {
        /** Not started yet (the pod is starting). */
        PENDING,
        RUNNING,
        /** Ended: the request path ran at full speed. */
        DONE,
        /** Ended at WARMUP_TIMEOUT_MS before it ran at full speed. */
        TIMED_OUT,
        /** Ended because the warm-up itself failed (the pod then serves cold). */
        FAILED,
        /** Switched off (WARMUP_ENABLED=false). */
        OFF
    }

    private final MeterRegistry registry;
    private final List<Gauge<?>> gauges;
    private volatile Stage stage = Stage.PENDING;
    private volatile long startedNanos;
    private volatile long endedNanos;
    private volatile long requests;
    private volatile double requestsPerSecond;
    private volatile double jitShare;
    private volatile String detail = "";

    public WarmupProgress(MeterRegistry registry) {
        this.registry = registry;
        this.gauges = List.of(
                registry.getOrCreate(Gauge.builder("eventsink.warmup.active", () -> stage == Stage.RUNNING ? 1 : 0)
                        .description("1 while the pod warms up before readiness, else 0")),
                registry.getOrCreate(Gauge.builder("eventsink.warmup.seconds", this::seconds)
                        .description("How long the warm-up took (so far, while it runs)")),
                registry.getOrCreate(Gauge.builder("eventsink.warmup.requests", () -> (double) requests)
                        .description("Requests the warm-up drove through the pod's own request path")));
    }

    /** Whether readiness may come up: the warm-up has ended one way or another, or is off. */
    public boolean ended() {
        return stage != Stage.PENDING && stage != Stage.RUNNING;
    }

    public Stage stage() {
        return stage;
    }

    public void off() {
        stage = Stage.OFF;
    }

    void started() {
        startedNanos = System.nanoTime();
        stage = Stage.RUNNING;
    }

    void window(long requests, double requestsPerSecond, double jitShare) {
        this.requests = requests;
        this.requestsPerSecond = requestsPerSecond;
        this.jitShare = jitShare;
    }

    void ended(Stage how, String detail) {
        this.detail = detail;
        endedNanos = System.nanoTime();
        stage = how;
    }

    /** Seconds the warm-up took, or has taken so far. */
    public double seconds() {
        if (stage == Stage.PENDING || stage == Stage.OFF) {
            return 0;
        }
        long end = stage == Stage.RUNNING ? System.nanoTime() : endedNanos;
        return (end - startedNanos) / 1e9;
    }

    /** Adds the warm-up's progress to a health answer. */
    public void describe(HealthCheckResponse.Builder response) {
        response.detail("warmup", stage.name().toLowerCase(java.util.Locale.ROOT));
        if (stage != Stage.OFF && stage != Stage.PENDING) {
            response.detail("warmupSeconds", Math.round(seconds() * 10) / 10.0)
                    .detail("warmupRequests", requests)
                    .detail("warmupRequestsPerSecond", Math.round(requestsPerSecond))
                    .detail("warmupJitShare", Math.round(jitShare * 100) / 100.0);
        }
        if (!detail.isEmpty()) {
            response.detail("warmupDetail", detail);
        }
    }

    /** Drops the gauges, so a later server in the same JVM registers its own. */
    public void close() {
        gauges.forEach(registry::remove);
    }
}
