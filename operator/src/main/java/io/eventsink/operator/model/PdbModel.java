package io.eventsink.operator.model;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

public final class PdbModel {
    private PdbModel() {}

    public static PodDisruptionBudget build(EventSinkModel m) {
        return new PodDisruptionBudgetBuilder()
                .withMetadata(Labels.meta(m, m.name()))
                .withNewSpec()
                .withMinAvailable(m.podDisruptionBudget().minAvailable())
                .withNewSelector()
                .withMatchLabels(Labels.selector(m))
                .endSelector()
                .endSpec()
                .build();
    }
}
