package io.eventsink.operator.model;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehaviorBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;

/** The HorizontalPodAutoscaler: CPU target, and a scaling behaviour fitted to pods that warm up before serving. */
public final class HpaModel {
    private HpaModel() {}

    public static HorizontalPodAutoscaler build(EventSinkModel m) {
        var a = m.autoscaling();
        return new HorizontalPodAutoscalerBuilder()
                .withMetadata(Labels.meta(m, m.name()))
                .withNewSpec()
                .withNewScaleTargetRef()
                .withApiVersion("apps/v1")
                .withKind("Deployment")
                .withName(m.name())
                .endScaleTargetRef()
                .withMinReplicas(a.minReplicas())
                .withMaxReplicas(a.maxReplicas())
                .addNewMetric()
                .withType("Resource")
                .withNewResource()
                .withName("cpu")
                .withNewTarget()
                .withType("Utilization")
                .withAverageUtilization(a.targetCpu())
                .endTarget()
                .endResource()
                .endMetric()
                .withBehavior(a.behavior() != null ? a.behavior() : defaultBehavior())
                .endSpec()
                .build();
    }

    /**
     * Used when {@code spec.autoscaling.behavior} is not given (operator/README.md, "Scaling"). Up at once: a new pod
     * takes no traffic before its warm-up ends, and the autoscaler counts no CPU of pods that are not ready, so the
     * warm-up neither slows the service nor drives further scale-ups; doubling (or 4 pods) per 15 s. Down slowly: a
     * pod removed and needed again costs a JVM start and a warm-up, so only after 5 minutes of lower demand and by at
     * most 10 % (at least 1 pod) a minute.
     */
    public static HorizontalPodAutoscalerBehavior defaultBehavior() {
        return new HorizontalPodAutoscalerBehaviorBuilder()
                .withNewScaleUp()
                .withStabilizationWindowSeconds(0)
                .withSelectPolicy("Max")
                .addNewPolicy()
                .withType("Percent")
                .withValue(100)
                .withPeriodSeconds(15)
                .endPolicy()
                .addNewPolicy()
                .withType("Pods")
                .withValue(4)
                .withPeriodSeconds(15)
                .endPolicy()
                .endScaleUp()
                .withNewScaleDown()
                .withStabilizationWindowSeconds(300)
                .withSelectPolicy("Max")
                .addNewPolicy()
                .withType("Percent")
                .withValue(10)
                .withPeriodSeconds(60)
                .endPolicy()
                .addNewPolicy()
                .withType("Pods")
                .withValue(1)
                .withPeriodSeconds(60)
                .endPolicy()
                .endScaleDown()
                .build();
    }
}
