package io.eventsink.operator.crd.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;

/** {@code spec.autoscaling}: the HorizontalPodAutoscaler. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = AutoscalingSpec.BOUNDS_RULE, message = "minReplicas must not exceed maxReplicas")
public class AutoscalingSpec {
    /** The bounds only matter while the autoscaler is on: switching it off keeps old bounds harmless. */
    public static final String BOUNDS_RULE = "(has(self.enabled) && !self.enabled) || !has(self.minReplicas)"
            + " || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas";

    public static final boolean ENABLED_DEFAULT = true;
    public static final int MIN_REPLICAS_DEFAULT = 2;
    public static final int MAX_REPLICAS_DEFAULT = 10;
    public static final int TARGET_CPU_DEFAULT = 70;

    @JsonPropertyDescription("Create a HorizontalPodAutoscaler; when false, spec.replicas is used.")
    @Default("" + ENABLED_DEFAULT)
    public Boolean enabled;

    @Min(1)
    @Max(100)
    @Default("" + MIN_REPLICAS_DEFAULT)
    public Integer minReplicas;

    @Min(1)
    @Max(100)
    @Default("" + MAX_REPLICAS_DEFAULT)
    public Integer maxReplicas;

    @JsonPropertyDescription("Target average CPU utilization in percent of the CPU request.")
    @Min(1)
    @Max(100)
    @Default("" + TARGET_CPU_DEFAULT)
    public Integer targetCPUUtilizationPercentage;

    @JsonPropertyDescription("Optional scale-up/scale-down behaviour, copied to the HPA as is.")
    public HorizontalPodAutoscalerBehavior behavior;
}
