package io.eventsink.operator.dependent;

import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.model.EventSinkModel;
import io.eventsink.operator.model.PdbModel;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** The disruption budget, when more than one pod can run. */
public class PodDisruptionBudgetDependent extends OwnedDependent<PodDisruptionBudget> {
    public PodDisruptionBudgetDependent() {
        super(PodDisruptionBudget.class);
    }

    @Override
    protected PodDisruptionBudget build(EventSinkModel model, Context<EventSink> context) {
        return PdbModel.build(model);
    }
}
