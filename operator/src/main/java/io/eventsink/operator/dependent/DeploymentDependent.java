package io.eventsink.operator.dependent;

import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.model.Defaults;
import io.eventsink.operator.model.DeploymentModel;
import io.eventsink.operator.sqs.QueueState;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;

public class DeploymentDependent extends OwnedDependent<Deployment> {
    /** Key under which the reconciler hands the reconciled queue to this dependent. */
    public static final String QUEUE_STATE = "queueState";

    private final SqsQueueDependent queue;

    public DeploymentDependent(SqsQueueDependent queue) {
        super(Deployment.class);
        this.queue = queue;
    }

    @Override
    protected Deployment build(EventSink primary, Context<EventSink> context) {
        QueueState state =
                context.managedWorkflowAndDependentResourceContext().getMandatory(QUEUE_STATE, QueueState.class);
        Integer replicas =
                Defaults.autoscalingEnabled(primary.getSpec()) ? null : Defaults.fixedReplicas(primary.getSpec());
        return DeploymentModel.build(primary, state, queue.region(primary), replicas);
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
