package io.eventsink.operator.dependent;

import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.model.EventSinkModel;
import io.eventsink.operator.model.ServiceModel;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** The ClusterIP Service in front of the pods. */
public class ServiceDependent extends OwnedDependent<Service> {
    public ServiceDependent() {
        super(Service.class);
    }

    @Override
    protected Service build(EventSinkModel model, Context<EventSink> context) {
        return ServiceModel.build(model);
    }
}
