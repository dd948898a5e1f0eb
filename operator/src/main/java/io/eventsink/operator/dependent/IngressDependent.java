package io.eventsink.operator.dependent;

import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.model.EventSinkModel;
import io.eventsink.operator.model.IngressModel;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** The Ingress, when enabled. */
public class IngressDependent extends OwnedDependent<Ingress> {
    public IngressDependent() {
        super(Ingress.class);
    }

    @Override
    protected Ingress build(EventSinkModel model, Context<EventSink> context) {
        return IngressModel.build(model);
    }
}
