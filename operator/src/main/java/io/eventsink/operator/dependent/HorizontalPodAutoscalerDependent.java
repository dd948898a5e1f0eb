package io.eventsink.operator.dependent;

import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.model.EventSinkModel;
import io.eventsink.operator.model.HpaModel;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** The autoscaler, while autoscaling is enabled. */
public class HorizontalPodAutoscalerDependent extends OwnedDependent<HorizontalPodAutoscaler> {
    public HorizontalPodAutoscalerDependent() {
        super(HorizontalPodAutoscaler.class);
    }

    @Override
    protected HorizontalPodAutoscaler build(EventSinkModel model, Context<EventSink> context) {
        return HpaModel.build(model);
    }
}
