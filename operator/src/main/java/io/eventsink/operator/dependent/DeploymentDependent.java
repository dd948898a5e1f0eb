package io.eventsink.operator.dependent;

import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.model.DeploymentModel;
import io.eventsink.operator.model.EventSinkModel;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;

/** The service Deployment; needs the reconciled queue (its URL goes into the pods' environment). */
public class DeploymentDependent extends OwnedDependent<Deployment> {
    private final SqsQueueDependent queue;

    public DeploymentDependent(SqsQueueDependent queue) {
        super(Deployment.class);
        this.queue = queue;
    }

    @Override
    protected Deployment build(EventSinkModel model, Context<EventSink> context) {
        return DeploymentModel.build(model, Models.queue(context), queue.region(model));
    }

    /** Hands the Deployment as written (or found) to the status: the informer may not have seen it yet. */
    @Override
    public ReconcileResult<Deployment> reconcile(EventSink primary, Context<EventSink> context) {
        ReconcileResult<Deployment> result = super.reconcile(primary, context);
        result.getSingleResource().ifPresent(d -> Models.putDeployment(context, d));
        return result;
    }

    @Override
    protected Deployment afterHash(Deployment desired, Context<EventSink> context) {
        if (desired.getSpec().getReplicas() == null) {
            // the HPA owns the replica count: keep whatever it set, an update must not reset it
            context.getSecondaryResource(Deployment.class)
                    .map(d -> d.getSpec().getReplicas())
                    .ifPresent(r -> desired.getSpec().setReplicas(r));
        }
        return desired;
    }
}
