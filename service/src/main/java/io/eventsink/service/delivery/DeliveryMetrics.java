package io.eventsink.service.delivery;

import io.eventsink.service.metrics.Histograms;
import io.eventsink.service.metrics.Meters;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.DistributionStatisticsConfig;
import io.helidon.metrics.api.DistributionSummary;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The delivery side's meters; names end up as eventsink_* in Prometheus. */
public final class DeliveryMetrics {

    private final Meters registry;
    private final Counter delivered;
    private final Counter failed;
    private final Counter retried;
    private final DistributionSummary batchSize;
    private final Timer callOk;
    private final Timer callFailed;
    private Gauge<Integer> pendingGauge;

    public DeliveryMetrics(MeterRegistry registry) {
        this(Meters.of(registry));
    }

    public DeliveryMetrics(Meters registry) {
        this.registry = registry;
        this.delivered = registry.getOrCreate(
                Counter.builder("eventsink.events.delivered").description("Events the queue confirmed as stored"));
        this.failed = registry.getOrCreate(Counter.builder("eventsink.events.failed")
                .description("Accepted events that were not delivered (their request got a 5xx)"));
        this.retried = registry.getOrCreate(
                Counter.builder("eventsink.events.retried").description("Delivery retries of single events"));
        this.batchSize = registry.getOrCreate(DistributionSummary.builder("eventsink.batch.size")
                .description("Events per queue write")
                .distributionStatisticsConfig(
                        DistributionStatisticsConfig.builder().buckets(1, 2, 3, 5, 8, 10, 50, 100, 256)));
        this.callOk = registry.getOrCreate(callTimer("ok"));
        this.callFailed = registry.getOrCreate(callTimer("error"));
    }

    private static Timer.Builder callTimer(String outcome) {
        return Timer.builder("eventsink.sqs.call")
                .description("Duration of queue writes")
                .buckets(Histograms.LATENCY_BUCKETS)
                .tags(List.of(Tag.create("outcome", outcome)));
    }

    void registerPending(Supplier<Integer> pending) {
        pendingGauge = registry.getOrCreate(Gauge.builder("eventsink.events.pending", pending)
                .description("Events accepted and waiting for the queue"));
    }

    /** Drops the gauge bound to a closed pipeline, so a later one in the same JVM can register its own. */
    void unregisterPending() {
        if (pendingGauge != null) {
            registry.remove(pendingGauge);
        }
    }

    void delivered() {
        delivered.increment();
    }

    void failed() {
        failed.increment();
    }

    void retry() {
        retried.increment();
    }

    void batch(int size) {
        batchSize.record(size);
    }

    void call(long nanos, boolean ok) {
        (ok ? callOk : callFailed).record(nanos, TimeUnit.NANOSECONDS);
    }
}
