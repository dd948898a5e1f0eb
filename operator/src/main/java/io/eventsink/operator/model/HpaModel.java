package io.eventsink.operator.model;

import io.eventsink.operator.crd.EventSink;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;

public final class HpaModel {
    private HpaModel() {}

    public static HorizontalPodAutoscaler build(EventSink es) {
        var spec = es.getSpec();
        return new HorizontalPodAutoscalerBuilder()
                .withMetadata(Labels.meta(es, es.getMetadata().getName()))
                .withNewSpec()
                .withNewScaleTargetRef()
                .withApiVersion("apps/v1")
                .withKind("Deployment")
                .withName(es.getMetadata().getName())
                .endScaleTargetRef()
                .withMinReplicas(Defaults.minReplicas(spec))
                .withMaxReplicas(Defaults.maxReplicas(spec))
                .addNewMetric()
                .withType("Resource")
                .withNewResource()
                .withName("cpu")
                .withNewTarget()
                .withType("Utilization")
                .withAverageUtilization(
                        Defaults.get(spec.autoscaling, a -> a.targetCPUUtilizationPercentage, Defaults.TARGET_CPU))
                .endTarget()
                .endResource()
                .endMetric()
                .withBehavior(Defaults.get(spec.autoscaling, a -> a.behavior, null))
                .endSpec()
                .build();
    }
}
