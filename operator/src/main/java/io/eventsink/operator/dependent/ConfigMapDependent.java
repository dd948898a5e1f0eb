package io.eventsink.operator.dependent;

import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.model.ConfigMapModel;
import io.eventsink.operator.model.EventSinkModel;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** The service's environment, loaded with envFrom. */
public class ConfigMapDependent extends OwnedDependent<ConfigMap> {
    public ConfigMapDependent() {
        super(ConfigMap.class);
    }

    @Override
    protected ConfigMap build(EventSinkModel model, Context<EventSink> context) {
        return ConfigMapModel.build(model);
    }

    @Override
    protected String objectName(String eventSinkName) {
        return eventSinkName + "-config";
    }
}
