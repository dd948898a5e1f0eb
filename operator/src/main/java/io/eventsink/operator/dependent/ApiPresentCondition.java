package io.eventsink.operator.dependent;

import io.eventsink.operator.crd.EventSink;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** Activation condition: the dependent (and its informer) only exists while the cluster serves its API. */
public final class ApiPresentCondition<R> implements Condition<R, EventSink> {
    private final ApiPresence presence;

    public ApiPresentCondition(ApiPresence presence) {
        this.presence = presence;
    }

    @Override
    public boolean isMet(DependentResource<R, EventSink> dependent, EventSink primary, Context<EventSink> context) {
        return presence.isPresent(context.getClient());
    }
}
