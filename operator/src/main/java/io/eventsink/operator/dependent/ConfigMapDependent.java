package io.eventsink.operator.dependent;

import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.model.ConfigMapModel;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.reconciler.Context;

public class ConfigMapDependent extends OwnedDependent<ConfigMap> {
    public ConfigMapDependent() {
        super(ConfigMap.class);
    }

    @Override
    protected String objectName(EventSink primary) {
        return io.eventsink.operator.model.Labels.configMapName(primary);
    }

    @Override
    protected ConfigMap build(EventSink primary, Context<EventSink> context) {
        return ConfigMapModel.build(primary);
    }
}
