package io.eventsink.service.observe;

import io.eventsink.service.delivery.DeliveryPipeline;
import io.eventsink.service.warmup.WarmupProgress;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

/**
 * Readiness: DOWN while the pod warms up, the queue is unreachable, the pending buffer is full, or the
 * service is shutting down, so Kubernetes sends traffic to pods that can take it at full speed.
 */
public final class SinkHealth implements HealthCheck {

    private final DeliveryPipeline pipeline;
    private final WarmupProgress warmup;
    private volatile boolean shuttingDown;

    public SinkHealth(DeliveryPipeline pipeline, WarmupProgress warmup) {
        this.pipeline = pipeline;
        this.warmup = warmup;
    }

    public void shuttingDown() {
        shuttingDown = true;
    }

    /** Whether the pod should get traffic: what readiness reports, also exported as {@code eventsink_ready}. */
    public boolean up() {
        return !shuttingDown && warmup.ended() && pipeline.ready();
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public String name() {
        return "queue";
    }

    @Override
    public HealthCheckResponse call() {
        int pending = pipeline.pending();
        boolean full = pending >= pipeline.maxPending();
        boolean up = up();
        HealthCheckResponse.Builder response = HealthCheckResponse.builder()
                .status(up)
                .detail("destination", pipeline.destination())
                .detail("reachable", pipeline.reachable())
                .detail("pending", pending)
                .detail("maxPending", pipeline.maxPending());
        warmup.describe(response);
        if (shuttingDown || !pipeline.accepting()) {
            response.detail("reason", "shutting down");
        } else if (!warmup.ended()) {
            response.detail("reason", "warming up");
        } else if (!pipeline.reachable()) {
            response.detail("reason", "queue unreachable: " + pipeline.lastError());
        } else if (full) {
            response.detail("reason", "pending buffer full");
        }
        return response.build();
    }
}
