package io.eventsink.operator.model;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;

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
                .withBehavior(a.behavior())
                .endSpec()
                .build();
    }
}
