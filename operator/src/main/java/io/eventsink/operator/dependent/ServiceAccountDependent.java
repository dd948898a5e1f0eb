package io.eventsink.operator.dependent;

import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.model.ServiceAccountModel;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.javaoperatorsdk.operator.api.reconciler.Context;

public class ServiceAccountDependent extends OwnedDependent<ServiceAccount> {
    public ServiceAccountDependent() {
        super(ServiceAccount.class);
    }

    @Override
    protected ServiceAccount build(EventSink primary, Context<EventSink> context) {
        return ServiceAccountModel.build(primary);
    }
}
