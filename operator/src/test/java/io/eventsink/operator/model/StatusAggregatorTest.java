package io.eventsink.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventsink.operator.crd.ConditionStatus;
import io.eventsink.operator.crd.EventSinkStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatusAggregatorTest {
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00.700Z");
    private static final Instant T1 = Instant.parse("2026-01-01T11:00:00Z");

    @Test
    void transitionTimeMovesOnlyWithTheStatusAndUnknownIsExplicit() {
        EventSinkStatus first = new StatusAggregator(null, 1, T0)
                .set(Conditions.READY, ConditionStatus.FALSE, "Progressing", "starting")
                .keep(Conditions.QUEUE_READY)
                .build(new EventSinkStatus());
        assertThat(first.condition(Conditions.READY).lastTransitionTime).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(first.condition(Conditions.QUEUE_READY).statusValue()).isEqualTo(ConditionStatus.UNKNOWN);
        assertThat(first.observedGeneration).isEqualTo(1);

        EventSinkStatus sameStatusNewReason = new StatusAggregator(first, 2, T1)
                .set(Conditions.READY, ConditionStatus.FALSE, "Unavailable", "0/2")
                .set(Conditions.QUEUE_READY, ConditionStatus.TRUE, "QueueReconciled", "ok")
                .build(new EventSinkStatus());
        assertThat(sameStatusNewReason.condition(Conditions.READY).lastTransitionTime)
                .as("False stayed False")
                .isEqualTo("2026-01-01T10:00:00Z");
        assertThat(sameStatusNewReason.condition(Conditions.QUEUE_READY).lastTransitionTime)
                .as("Unknown became True")
                .isEqualTo("2026-01-01T11:00:00Z");
        assertThat(sameStatusNewReason.conditions)
                .allSatisfy(c -> assertThat(c.observedGeneration).isEqualTo(2L))
                .extracting(c -> c.type)
                .containsExactly(Conditions.READY, Conditions.QUEUE_READY);
    }
}
