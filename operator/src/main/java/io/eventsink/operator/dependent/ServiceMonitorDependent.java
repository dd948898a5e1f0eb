package io.eventsink.operator.dependent;

import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.crd.ServiceMonitor;
import io.eventsink.operator.model.EventSinkModel;
import io.eventsink.operator.model.ServiceMonitorModel;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * The Prometheus Operator ServiceMonitor, when monitoring is enabled. Only part of the workflow while the cluster
 * serves monitoring.coreos.com/v1 ({@link ApiPresentCondition}): without it there is no informer and no call.
 */
public class ServiceMonitorDependent extends OwnedDependent<ServiceMonitor> {
    public ServiceMonitorDependent() {
        super(ServiceMonitor.class);
    }

    @Override
    protected ServiceMonitor build(EventSinkModel model, Context<EventSink> context) {
        return ServiceMonitorModel.build(model);
    }
}
