package io.eventsink.operator;

import io.eventsink.operator.crd.Condition;
import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.crd.EventSinkStatus;
import io.eventsink.operator.dependent.ConfigMapDependent;
import io.eventsink.operator.dependent.DeploymentDependent;
import io.eventsink.operator.dependent.HorizontalPodAutoscalerDependent;
import io.eventsink.operator.dependent.IngressDependent;
import io.eventsink.operator.dependent.OwnedDependent;
import io.eventsink.operator.dependent.PodDisruptionBudgetDependent;
import io.eventsink.operator.dependent.ServiceAccountDependent;
import io.eventsink.operator.dependent.ServiceDependent;
import io.eventsink.operator.dependent.SqsQueueDependent;
import io.eventsink.operator.model.Conditions;
import io.eventsink.operator.model.Defaults;
import io.eventsink.operator.model.QueueModel;
import io.eventsink.operator.model.SpecValidator;
import io.eventsink.operator.model.StatusModel;
import io.eventsink.operator.sqs.QueueException;
import io.eventsink.operator.sqs.QueueState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceUtils;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles an EventSink: queue first (the Deployment needs its URL), then the Kubernetes objects, then status.
 * <p>
 * Runs with {@code triggerReconcilerOnAllEvents} so that the finalizer is ours to manage: it is only put on
 * EventSinks whose queue the operator created and must delete ({@code deletionPolicy: Delete}). Everything else
 * is cleaned up by owner references, so other EventSinks never block on the operator being up.
 */
@ControllerConfiguration(name = EventSinkReconciler.NAME, triggerReconcilerOnAllEvents = true)
@GradualRetry(maxAttempts = -1, initialInterval = 1000, intervalMultiplier = 2.0, maxInterval = 300_000)
public class EventSinkReconciler implements Reconciler<EventSink> {
    public static final String NAME = "eventsink";
    public static final String QUEUE_FINALIZER = "eventsink.io/delete-queue";
    private static final Logger log = LoggerFactory.getLogger(EventSinkReconciler.class);

    private final SqsQueueDependent queue;
    private final ServiceAccountDependent serviceAccount = new ServiceAccountDependent();
    private final ConfigMapDependent configMap = new ConfigMapDependent();
    private final DeploymentDependent deployment;
    private final ServiceDependent service = new ServiceDependent();
    private final HorizontalPodAutoscalerDependent hpa = new HorizontalPodAutoscalerDependent();
    private final PodDisruptionBudgetDependent pdb = new PodDisruptionBudgetDependent();
    private final IngressDependent ingress = new IngressDependent();
    private final EventRecorder events;
    private final Clock clock;
    private final Duration resync;

    public EventSinkReconciler(SqsQueueDependent queue, EventRecorder events, Clock clock, Duration resync) {
        this.queue = queue;
        this.deployment = new DeploymentDependent(queue);
        this.events = events;
        this.clock = clock;
        this.resync = resync;
    }

    @Override
    public List<EventSource<?, EventSink>> prepareEventSources(EventSourceContext<EventSink> context) {
        return EventSourceUtils.dependentEventSources(
                context, serviceAccount, configMap, deployment, service, hpa, pdb, ingress);
    }

    @Override
    public UpdateControl<EventSink> reconcile(EventSink es, Context<EventSink> context) {
        if (context.isPrimaryResourceDeleted()) {
            return UpdateControl.noUpdate(); // gone; owned objects follow through owner references
        }
        if (es.isMarkedForDeletion()) {
            cleanup(es, context);
            return UpdateControl.noUpdate();
        }

        List<String> errors = SpecValidator.validate(es);
        if (!errors.isEmpty()) {
            // not retried: only a spec change (a new generation) can fix it
            EventSinkStatus next = StatusModel.invalid(es, errors, clock.instant());
            announce(es, next);
            return patchIfChanged(es, context, next);
        }

        QueueState queueState = queue.reconcile(es); // QueueException -> updateErrorStatus + backoff
        manageFinalizer(es, context, queueState);

        context.managedWorkflowAndDependentResourceContext().put(DeploymentDependent.QUEUE_STATE, queueState);
        if (Defaults.usesExistingServiceAccount(es.getSpec())) {
            serviceAccount.delete(es, context);
        } else {
            serviceAccount.reconcile(es, context);
        }
        configMap.reconcile(es, context);
        ReconcileResult<Deployment> dep = deployment.reconcile(es, context);
        service.reconcile(es, context);
        toggle(Defaults.autoscalingEnabled(es.getSpec()), hpa, es, context);
        toggle(Defaults.pdbEnabled(es.getSpec()), pdb, es, context);
        toggle(Defaults.ingressEnabled(es.getSpec()), ingress, es, context);

        Deployment current = dep.getSingleResource().orElse(null);
        EventSinkStatus next = StatusModel.ready(es, queueState, current, clock.instant());
        announce(es, next);
        // periodic pass: repairs queue attribute drift, which SQS cannot notify us about
        return patchIfChanged(es, context, next).rescheduleAfter(resync);
    }

    @Override
    public ErrorStatusUpdateControl<EventSink> updateErrorStatus(
            EventSink es, Context<EventSink> context, Exception e) {
        if (context.isPrimaryResourceDeleted()) {
            return ErrorStatusUpdateControl.noStatusUpdate();
        }
        QueueException qe = queueException(e);
        String reason = qe != null ? qe.reason() : "ReconcileError";
        Throwable shown = qe != null ? qe : (e.getCause() != null ? e.getCause() : e);
        String message = shown.getMessage() != null
                ? shown.getMessage()
                : shown.getClass().getSimpleName();
        log.warn(
                "Reconciling {}/{} failed ({}): {}",
                es.getMetadata().getNamespace(),
                es.getMetadata().getName(),
                reason,
                message);
        EventSinkStatus next = StatusModel.failed(es, qe != null, reason, message, clock.instant());
        announce(es, next);
        if (!next.equals(es.getStatus())) {
            patchErrorStatus(es, context, next);
        }
        // not ErrorStatusUpdateControl.patchStatus: JOSDK does not cache that result when it retries, so a retry run
        // at once for a new event (a Deployment status change, say) saw the old status and announced the failure again
        ErrorStatusUpdateControl<EventSink> control = ErrorStatusUpdateControl.noStatusUpdate();
        // SQS-imposed waits replace the exponential backoff
        return qe != null && qe.retryAfter() != null ? control.rescheduleAfter(qe.retryAfter()) : control;
    }

    /** Patches and caches the failure status like {@link #patchIfChanged}; a failed patch is redone by the retry. */
    private static void patchErrorStatus(EventSink es, Context<EventSink> context, EventSinkStatus next) {
        try {
            // no conflict retry here (maxRetry 0): that would wait for the cache, and the reconcile is retried anyway
            PrimaryUpdateAndCacheUtils.updateAndCacheResource(
                    es,
                    context,
                    UnaryOperator.identity(),
                    r -> context.getClient().resource(r).editStatus(current -> {
                        current.setStatus(next);
                        return current;
                    }),
                    0,
                    0,
                    0);
        } catch (RuntimeException e) {
            log.warn(
                    "Could not write the failure into the status of {}/{}: {}",
                    es.getMetadata().getNamespace(),
                    es.getMetadata().getName(),
                    e.getMessage());
        }
    }

    /** JOSDK wraps what the reconciler throws; find our own exception in the chain. */
    private static QueueException queueException(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof QueueException q) {
                return q;
            }
        }
        return null;
    }

    private void cleanup(EventSink es, Context<EventSink> context) {
        if (!es.hasFinalizer(QUEUE_FINALIZER)) {
            return;
        }
        if (Defaults.deleteQueueOnDeletion(es.getSpec()) && !Defaults.usesExistingQueue(es.getSpec())) {
            queue.delete(es); // throws on SQS errors: retried with backoff, finalizer kept
            events.normal(es, "QueueDeleted", "deleted queue " + QueueModel.name(es) + " (deletionPolicy Delete)");
        }
        PrimaryUpdateAndCacheUtils.removeFinalizer(context, QUEUE_FINALIZER);
    }

    /** The finalizer exists only while there is a queue to delete on our side. */
    private void manageFinalizer(EventSink es, Context<EventSink> context, QueueState state) {
        boolean needed = state.managed() && Defaults.deleteQueueOnDeletion(es.getSpec());
        if (needed && !es.hasFinalizer(QUEUE_FINALIZER)) {
            EventSink updated = PrimaryUpdateAndCacheUtils.addFinalizer(context, QUEUE_FINALIZER);
            es.getMetadata().setResourceVersion(updated.getMetadata().getResourceVersion());
            es.getMetadata().setFinalizers(updated.getMetadata().getFinalizers());
        } else if (!needed && es.hasFinalizer(QUEUE_FINALIZER)) {
            EventSink updated = PrimaryUpdateAndCacheUtils.removeFinalizer(context, QUEUE_FINALIZER);
            es.getMetadata().setResourceVersion(updated.getMetadata().getResourceVersion());
            es.getMetadata().setFinalizers(updated.getMetadata().getFinalizers());
        }
    }

    private static <R extends HasMetadata> void toggle(
            boolean wanted, OwnedDependent<R> dependent, EventSink es, Context<EventSink> context) {
        if (wanted) {
            dependent.reconcile(es, context);
        } else {
            dependent.delete(es, context);
        }
    }

    /**
     * Patches the status only when it changed, and puts the result into the operator's cache right away: the next
     * reconcile must not see the old status (it would recompute transition times and patch again).
     */
    private static UpdateControl<EventSink> patchIfChanged(
            EventSink es, Context<EventSink> context, EventSinkStatus next) {
        if (next.equals(es.getStatus())) {
            return UpdateControl.noUpdate();
        }
        log.info(
                "Status of {}/{} (generation {}): {}",
                es.getMetadata().getNamespace(),
                es.getMetadata().getName(),
                next.observedGeneration,
                next.conditions);
        PrimaryUpdateAndCacheUtils.patchStatusAndCacheResource(es, context, r -> {
            r.setStatus(next);
            return r;
        });
        return UpdateControl.noUpdate();
    }

    /** Events only on condition transitions, so a stuck resource does not flood the namespace. */
    private void announce(EventSink es, EventSinkStatus next) {
        EventSinkStatus prev = es.getStatus();
        // a queue failure turns QueueReady and Ready False with the same reason: one Warning, not two
        Set<String> warned = new HashSet<>();
        for (String type : List.of(Conditions.QUEUE_READY, Conditions.READY)) {
            Condition before = prev == null ? null : prev.condition(type);
            Condition after = next.condition(type);
            if (after == null || "Unknown".equals(after.status)) {
                continue;
            }
            boolean changed = before == null
                    || !Objects.equals(before.status, after.status)
                    || !Objects.equals(before.reason, after.reason);
            if (!changed) {
                continue;
            }
            if (after.isTrue()) {
                events.normal(es, type, after.message);
            } else if ((before != null || !"Progressing".equals(after.reason))
                    && warned.add(after.reason + "\n" + after.message)) {
                events.warning(es, after.reason, after.message);
            }
        }
    }
}
