package io.eventsink.operator.dependent;

import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.model.EventSinkModel;
import io.eventsink.operator.model.ServiceAccountModel;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** The ServiceAccount the pods run under, unless the spec names an existing one. */
public class ServiceAccountDependent extends OwnedDependent<ServiceAccount> {
    public ServiceAccountDependent() {
        super(ServiceAccount.class);
    }

    @Override
    protected ServiceAccount build(EventSinkModel model, Context<EventSink> context) {
        return ServiceAccountModel.build(model);
    }
}
