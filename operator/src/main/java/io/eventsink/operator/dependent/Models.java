package io.eventsink.operator.dependent;

import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.model.EventSinkModel;
import io.eventsink.operator.model.QueueState;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Optional;

/** What one reconcile hands to its dependents: the resolved model, and the queue once it is reconciled. */
public final class Models {
    private static final String MODEL = "eventsink.model";
    private static final String QUEUE_STATE = "eventsink.queueState";
    private static final String DEPLOYMENT = "eventsink.deployment";

    private Models() {}

    public static void put(Context<EventSink> context, EventSinkModel model) {
        context.managedWorkflowAndDependentResourceContext().put(MODEL, model);
    }

    public static EventSinkModel of(Context<EventSink> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(MODEL, EventSinkModel.class);
    }

    static void putQueue(Context<EventSink> context, QueueState state) {
        context.managedWorkflowAndDependentResourceContext().put(QUEUE_STATE, state);
    }

    static void putDeployment(Context<EventSink> context, Deployment deployment) {
        context.managedWorkflowAndDependentResourceContext().put(DEPLOYMENT, deployment);
    }

    /** The Deployment as this reconcile left it, if it got that far. */
    public static Optional<Deployment> deployment(Context<EventSink> context) {
        return context.managedWorkflowAndDependentResourceContext().get(DEPLOYMENT, Deployment.class);
    }

    public static QueueState queue(Context<EventSink> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(QUEUE_STATE, QueueState.class);
    }
}
