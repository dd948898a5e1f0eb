package io.eventsink.operator.model;

import static io.eventsink.operator.model.Resolve.copy;
import static io.eventsink.operator.model.Resolve.or;

import io.eventsink.operator.crd.spec.PodDisruptionBudgetSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.Objects;

/** {@code spec.podDisruptionBudget} resolved. */
public record PdbSettings(boolean enabled, IntOrString minAvailable) {

    static PdbSettings from(PodDisruptionBudgetSpec spec) {
        var pdb = Objects.requireNonNullElseGet(spec, PodDisruptionBudgetSpec::new);
        return new PdbSettings(
                or(pdb.enabled, PodDisruptionBudgetSpec.ENABLED_DEFAULT),
                pdb.minAvailable != null
                        ? copy(pdb.minAvailable)
                        : new IntOrString(PodDisruptionBudgetSpec.MIN_AVAILABLE_DEFAULT));
    }
}
