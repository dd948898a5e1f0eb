package io.eventsink.operator.dependent;

import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.crd.ServiceMonitor;
import io.eventsink.operator.model.EventSinkModel;
import io.eventsink.operator.model.ServiceMonitorModel;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceUtils;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Workflow;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowBuilder;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowReconcileResult;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * What an EventSink is made of, declared as a JOSDK workflow: the queue first, then the Kubernetes objects (in
 * parallel where nothing orders them: ConfigMap, Deployment, Service in that order); the optional ones exist while their reconcile precondition holds and are deleted when it
 * stops holding; the ServiceMonitor only while the cluster serves its API (activation condition: without it, no
 * informer is started).
 * <p>
 * A standalone workflow, invoked by the reconciler: the reconciler runs in {@code triggerReconcilerOnAllEvents}
 * mode (to put a finalizer only on EventSinks whose queue it must delete), which JOSDK does not combine with a
 * managed workflow.
 */
public final class EventSinkWorkflow {
    private final SqsQueueDependent queue;
    private final ServiceAccountDependent serviceAccount = new ServiceAccountDependent();
    private final ConfigMapDependent configMap = new ConfigMapDependent();
    private final DeploymentDependent deployment;
    private final ServiceDependent service = new ServiceDependent();
    private final HorizontalPodAutoscalerDependent hpa = new HorizontalPodAutoscalerDependent();
    private final PodDisruptionBudgetDependent pdb = new PodDisruptionBudgetDependent();
    private final IngressDependent ingress = new IngressDependent();
    private final ServiceMonitorDependent serviceMonitor = new ServiceMonitorDependent();
    private final ApiPresence serviceMonitors;
    private final Workflow<EventSink> workflow;

    public EventSinkWorkflow(SqsQueueDependent queue, MeterRegistry metrics, Clock clock) {
        this.queue = queue;
        this.deployment = new DeploymentDependent(queue);
        this.serviceMonitors =
                new ApiPresence(ServiceMonitorModel.API, ServiceMonitorModel.PLURAL, Duration.ofMinutes(1), clock);
        List.of(serviceAccount, configMap, deployment, service, hpa, pdb, ingress, serviceMonitor)
                .forEach(d -> d.withMetrics(metrics));
        this.workflow = new WorkflowBuilder<EventSink>()
                .addDependentResource(queue)
                .addDependentResourceAndConfigure(serviceAccount)
                .dependsOn(queue)
                .withReconcilePrecondition(Wanted.when(EventSinkModel::createsServiceAccount))
                .addDependentResourceAndConfigure(configMap)
                .dependsOn(queue)
                .addDependentResourceAndConfigure(deployment)
                .dependsOn(queue, configMap)
                .addDependentResourceAndConfigure(service)
                .dependsOn(deployment) // its endpoints follow the pods
                .addDependentResourceAndConfigure(hpa)
                .dependsOn(queue)
                .withReconcilePrecondition(Wanted.when(EventSinkModel::wantsHpa))
                .addDependentResourceAndConfigure(pdb)
                .dependsOn(queue)
                .withReconcilePrecondition(Wanted.when(EventSinkModel::wantsPdb))
                .addDependentResourceAndConfigure(ingress)
                .dependsOn(queue)
                .withReconcilePrecondition(Wanted.when(EventSinkModel::wantsIngress))
                .addDependentResourceAndConfigure(serviceMonitor)
                .dependsOn(queue)
                .withActivationCondition(new ApiPresentCondition<ServiceMonitor>(serviceMonitors))
                .withReconcilePrecondition(Wanted.when(EventSinkModel::wantsServiceMonitor))
                .withThrowExceptionFurther(false)
                .build();
    }

    /** Informers for the owned kinds that always exist (the ServiceMonitor's is registered when its API is). */
    public List<EventSource<?, EventSink>> eventSources(EventSourceContext<EventSink> context) {
        return EventSourceUtils.dependentEventSources(
                context, serviceAccount, configMap, deployment, service, hpa, pdb, ingress);
    }

    public WorkflowReconcileResult reconcile(EventSink es, Context<EventSink> context) {
        return workflow.reconcile(es, context);
    }

    /** Whether ServiceMonitors can be created in this cluster (the Prometheus Operator's CRDs are installed). */
    public boolean serviceMonitorsAvailable(Context<EventSink> context) {
        return serviceMonitors.isPresent(context.getClient());
    }

    public String serviceMonitorApi() {
        return serviceMonitors.describe();
    }

    public SqsQueueDependent queue() {
        return queue;
    }

    /** Lookup for the reconciler's status: the queue failure first, since everything else waits for it. */
    public Exception firstError(WorkflowReconcileResult result) {
        var errors = result.getErroredDependents();
        return errors.containsKey(queue)
                ? errors.get(queue)
                : errors.values().stream().findFirst().orElse(null);
    }
}
