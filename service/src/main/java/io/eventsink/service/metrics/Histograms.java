package io.eventsink.service.metrics;

import java.time.Duration;

/** Bucket boundaries shared by the latency histograms, so dashboards compute p50/p99 across pods. */
public final class Histograms {

    public static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
        Duration.ofSeconds(10)
    };

    private Histograms() {}
}
