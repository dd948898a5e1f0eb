package io.eventsink.operator.dependent;

import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.model.EventSinkModel;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import java.util.function.Predicate;

/** A reconcile precondition read off the model: the object exists while it holds and is deleted when it does not. */
public final class Wanted<R> implements Condition<R, EventSink> {
    private final Predicate<EventSinkModel> test;

    private Wanted(Predicate<EventSinkModel> test) {
        this.test = test;
    }

    public static <R> Wanted<R> when(Predicate<EventSinkModel> test) {
        return new Wanted<>(test);
    }

    @Override
    public boolean isMet(DependentResource<R, EventSink> dependent, EventSink primary, Context<EventSink> context) {
        return test.test(Models.of(context));
    }
}
