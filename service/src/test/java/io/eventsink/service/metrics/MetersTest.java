package io.eventsink.service.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.DistributionSummary;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Timer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MetersTest {

    @Test
    void discardedMetersCountNothingAndNeverReachTheJvmsRegistry() {
        Meters nowhere = Meters.discarding();
        Counter counter = nowhere.getOrCreate(Counter.builder("eventsink.meters.test.counter"));
        counter.increment();
        counter.increment(5);
        Timer timer = nowhere.getOrCreate(Timer.builder("eventsink.meters.test.timer"));
        timer.record(3, TimeUnit.MILLISECONDS);
        DistributionSummary summary = nowhere.getOrCreate(DistributionSummary.builder("eventsink.meters.test.summary"));
        summary.record(7);
        Gauge<Integer> gauge = nowhere.getOrCreate(Gauge.builder("eventsink.meters.test.gauge", () -> 1));
        nowhere.remove(gauge);

        assertThat(counter.count()).isZero();
        assertThat(timer.count()).isZero();
        assertThat(summary.count()).isZero();
        assertThat(counter).isNotEqualTo(nowhere.getOrCreate(Counter.builder("eventsink.meters.test.counter")));
        assertThat(Metrics.globalRegistry().meters())
                .noneMatch(m -> m.id().name().startsWith("eventsink.meters.test"));
    }

    @Test
    void theJvmsRegistryIsUsedAsIs() {
        Meters jvm = Meters.of(Metrics.globalRegistry());
        Counter counter = jvm.getOrCreate(Counter.builder("eventsink.meters.test.real"));
        counter.increment(2);
        assertThat(Metrics.globalRegistry()
                        .getOrCreate(Counter.builder("eventsink.meters.test.real"))
                        .count())
                .isEqualTo(2);
        jvm.remove(counter);
        assertThat(Metrics.globalRegistry().meters())
                .noneMatch(m -> m.id().name().equals("eventsink.meters.test.real"));
    }
}
