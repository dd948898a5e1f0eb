package io.eventsink.operator.crd.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.kubernetes.api.model.IntOrString;

/** {@code spec.podDisruptionBudget}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodDisruptionBudgetSpec {
    public static final boolean ENABLED_DEFAULT = true;
    public static final int MIN_AVAILABLE_DEFAULT = 1;

    @JsonPropertyDescription("Create a PodDisruptionBudget (skipped when at most one replica can run).")
    @Default("" + ENABLED_DEFAULT)
    public Boolean enabled;

    @JsonPropertyDescription("Pods that must stay available: a number or a percentage. Default: 1.")
    public IntOrString minAvailable;
}
