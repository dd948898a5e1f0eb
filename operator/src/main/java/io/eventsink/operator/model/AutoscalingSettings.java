package io.eventsink.operator.model;

import static io.eventsink.operator.model.Resolve.copy;
import static io.eventsink.operator.model.Resolve.or;

import io.eventsink.operator.crd.spec.AutoscalingSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import java.util.Objects;

/** {@code spec.autoscaling} resolved; {@code behavior} is null when the spec gives none. */
public record AutoscalingSettings(
        boolean enabled, int minReplicas, int maxReplicas, int targetCpu, HorizontalPodAutoscalerBehavior behavior) {

    static AutoscalingSettings from(AutoscalingSpec spec) {
        var a = Objects.requireNonNullElseGet(spec, AutoscalingSpec::new);
        return new AutoscalingSettings(
                or(a.enabled, AutoscalingSpec.ENABLED_DEFAULT),
                or(a.minReplicas, AutoscalingSpec.MIN_REPLICAS_DEFAULT),
                or(a.maxReplicas, AutoscalingSpec.MAX_REPLICAS_DEFAULT),
                or(a.targetCPUUtilizationPercentage, AutoscalingSpec.TARGET_CPU_DEFAULT),
                copy(a.behavior));
    }
}
