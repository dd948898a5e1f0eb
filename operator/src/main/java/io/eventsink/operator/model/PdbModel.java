package io.eventsink.operator.model;

import io.eventsink.operator.crd.EventSink;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

public final class PdbModel {
    private PdbModel() {}

    public static PodDisruptionBudget build(EventSink es) {
        IntOrString minAvailable =
                Defaults.get(es.getSpec().podDisruptionBudget, p -> p.minAvailable, new IntOrString(1));
        return new PodDisruptionBudgetBuilder()
                .withMetadata(Labels.meta(es, es.getMetadata().getName()))
                .withNewSpec()
                .withMinAvailable(minAvailable)
                .withNewSelector()
                .withMatchLabels(Labels.selector(es))
                .endSelector()
                .endSpec()
                .build();
    }
}
