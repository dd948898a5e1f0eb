package io.eventsink.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventsink.operator.crd.Condition;
import io.eventsink.operator.crd.EventSinkStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusModelTest {
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-01-01T10:05:00Z");

    private static Deployment deployment(Integer available, String availableCondition) {
        var b = new DeploymentBuilder()
                .withNewMetadata()
                .withGeneration(2L)
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .endSpec()
                .withNewStatus()
                .withObservedGeneration(2L)
                .withReplicas(2)
                .withReadyReplicas(available)
                .withAvailableReplicas(available);
        if (availableCondition != null) {
            b.addNewCondition()
                    .withType("Available")
                    .withStatus(availableCondition)
                    .withMessage("min")
                    .endCondition();
        }
        return b.endStatus().build();
    }

    @Test
    void readyWhenQueueAndDeploymentAre() {
        var s = StatusModel.reconciled(Fixtures.minimalModel(), null, Fixtures.QUEUE, deployment(2, "True"), null, T0);
        assertThat(s.observedGeneration).isEqualTo(3L);
        assertThat(s.condition(Conditions.READY).isTrue()).isTrue();
        assertThat(s.condition(Conditions.QUEUE_READY).isTrue()).isTrue();
        assertThat(s.condition(Conditions.DEPLOYMENT_READY).message).isEqualTo("2/2 replicas ready");
        assertThat(s.condition(Conditions.DEGRADED).status).isEqualTo("False");
        assertThat(s.conditions).allSatisfy(c -> {
            assertThat(c.observedGeneration).isEqualTo(3L);
            assertThat(c.lastTransitionTime).isEqualTo("2026-01-01T10:00:00Z");
        });
        assertThat(s.queueUrl).isEqualTo(Fixtures.QUEUE.url());
        assertThat(s.readyReplicas).isEqualTo(2);
        assertThat(s.selector).isEqualTo("app.kubernetes.io/name=eventsink,app.kubernetes.io/instance=sink");
    }

    @Test
    void deploymentNotAvailableOrNotCaughtUp() {
        assertThat(StatusModel.deploymentCondition(null).reason).isEqualTo("Progressing");
        assertThat(StatusModel.deploymentCondition(deployment(0, null)).isTrue())
                .isFalse();
        var unavailable = StatusModel.deploymentCondition(deployment(1, "False"));
        assertThat(unavailable.reason).isEqualTo("Unavailable");
        assertThat(unavailable.message).contains("1/2 replicas ready");
        var stale = deployment(2, "True");
        stale.getMetadata().setGeneration(3L);
        assertThat(StatusModel.deploymentCondition(stale).reason)
                .as("new template not rolled out yet")
                .isEqualTo("Progressing");
        var s = StatusModel.reconciled(Fixtures.minimalModel(), null, Fixtures.QUEUE, deployment(0, null), null, T0);
        assertThat(s.condition(Conditions.READY).isTrue()).isFalse();
        assertThat(s.condition(Conditions.READY).message).startsWith("waiting for the Deployment");
    }

    @Test
    void lastTransitionTimeIsStableWhileStatusHolds() {
        var m = Fixtures.minimalModel();
        EventSinkStatus first = StatusModel.reconciled(m, null, Fixtures.QUEUE, deployment(2, "True"), null, T0);
        EventSinkStatus again = StatusModel.reconciled(m, first, Fixtures.QUEUE, deployment(2, "True"), null, T1);
        assertThat(again).as("nothing changed, so no status patch is needed").isEqualTo(first);

        EventSinkStatus down = StatusModel.failed(first, 3L, true, "SqsUnavailable", "SQS is not reachable", T1);
        assertThat(down.condition(Conditions.QUEUE_READY).lastTransitionTime).isEqualTo("2026-01-01T10:05:00Z");
        assertThat(down.condition(Conditions.QUEUE_READY).reason).isEqualTo("SqsUnavailable");
        assertThat(down.condition(Conditions.DEPLOYMENT_READY).lastTransitionTime)
                .as("untouched condition keeps its time")
                .isEqualTo("2026-01-01T10:00:00Z");
        assertThat(down.condition(Conditions.DEGRADED).isTrue()).isTrue();
        assertThat(down.queueUrl).as("last known queue is kept").isEqualTo(Fixtures.QUEUE.url());
    }

    @Test
    void invalidSpecLeavesUnknownConditionsUnknown() {
        var s = StatusModel.invalid(null, 3L, List.of("a", "b"), T0);
        Condition ready = s.condition(Conditions.READY);
        assertThat(ready.reason).isEqualTo("InvalidSpec");
        assertThat(ready.message).isEqualTo("invalid spec: a; b");
        assertThat(s.condition(Conditions.QUEUE_READY).status).isEqualTo("Unknown");
        assertThat(s.condition(Conditions.DEGRADED).isTrue()).isTrue();
    }
}
