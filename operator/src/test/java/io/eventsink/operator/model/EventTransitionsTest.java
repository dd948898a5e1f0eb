package io.eventsink.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventsink.operator.model.EventTransitions.Announcement;
import io.eventsink.operator.model.StatusModel.Degradation;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventTransitionsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-01-01T10:01:00Z");
    private static final EventSinkModel M = Fixtures.minimalModel();

    private static io.fabric8.kubernetes.api.model.apps.Deployment available() {
        return new DeploymentBuilder()
                .withNewSpec()
                .withReplicas(2)
                .endSpec()
                .withNewStatus()
                .withReplicas(2)
                .withReadyReplicas(2)
                .withAvailableReplicas(2)
                .endStatus()
                .build();
    }

    @Test
    void aStartingSinkAnnouncesItsQueueThenReadyButNoWarning() {
        var starting = StatusModel.reconciled(M, null, Fixtures.QUEUE, null, null, T0);
        assertThat(EventTransitions.between(null, starting))
                .containsExactly(new Announcement(false, "QueueReady", "queue " + Fixtures.QUEUE.url() + " is ready"));
        var ready = StatusModel.reconciled(M, starting, Fixtures.QUEUE, available(), null, T1);
        assertThat(EventTransitions.between(starting, ready))
                .extracting(Announcement::reason)
                .containsExactly("Ready");
        assertThat(EventTransitions.between(
                        ready, StatusModel.reconciled(M, ready, Fixtures.QUEUE, available(), null, T1)))
                .as("no transition, no Event")
                .isEmpty();
    }

    @Test
    void aFailureOnSeveralConditionsIsOneWarningAndRepeatingItIsNone() {
        var ready = StatusModel.reconciled(M, null, Fixtures.QUEUE, available(), null, T0);
        var down = StatusModel.failed(ready, 3L, true, "SqsUnavailable", "SQS is not reachable", T1);
        assertThat(EventTransitions.between(ready, down))
                .containsExactly(new Announcement(true, "SqsUnavailable", "SQS is not reachable"));
        assertThat(EventTransitions.between(
                        down, StatusModel.failed(down, 3L, true, "SqsUnavailable", "SQS is not reachable", T1)))
                .isEmpty();
    }

    @Test
    void degradedWhileReadyIsAWarningOfItsOwn() {
        var ready = StatusModel.reconciled(M, null, Fixtures.QUEUE, available(), null, T0);
        var degraded = StatusModel.reconciled(
                M, ready, Fixtures.QUEUE, available(), new Degradation("MonitoringUnavailable", "no API"), T1);
        assertThat(degraded.condition(Conditions.READY).isTrue()).isTrue();
        assertThat(EventTransitions.between(ready, degraded))
                .isEqualTo(List.of(new Announcement(true, "MonitoringUnavailable", "no API")));
        var resolved = StatusModel.reconciled(M, degraded, Fixtures.QUEUE, available(), null, T1);
        assertThat(EventTransitions.between(degraded, resolved))
                .as("Degraded=False is no news")
                .isEmpty();
    }
}
