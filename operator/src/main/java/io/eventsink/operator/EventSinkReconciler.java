package io.eventsink.operator;

import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.crd.EventSinkStatus;
import io.eventsink.operator.dependent.EventSinkWorkflow;
import io.eventsink.operator.dependent.Models;
import io.eventsink.operator.model.EventSinkModel;
import io.eventsink.operator.model.EventTransitions;
import io.eventsink.operator.model.QueueModel;
import io.eventsink.operator.model.SpecValidator;
import io.eventsink.operator.model.StatusModel;
import io.eventsink.operator.model.StatusModel.Degradation;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconcile loop of an EventSink: validate, resolve the model, run the workflow (queue, then the Kubernetes
 * objects), then write the status and announce its transitions.
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

    private final EventSinkWorkflow workflow;
    private final EventRecorder events;
    private final ConditionMetrics conditionMetrics;
    private final Clock clock;

    public EventSinkReconciler(
            EventSinkWorkflow workflow, EventRecorder events, ConditionMetrics conditionMetrics, Clock clock) {
        this.workflow = workflow;
        this.events = events;
        this.conditionMetrics = conditionMetrics;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, EventSink>> prepareEventSources(EventSourceContext<EventSink> context) {
        return workflow.eventSources(context);
    }

    @Override
    public UpdateControl<EventSink> reconcile(EventSink es, Context<EventSink> context) {
        if (context.isPrimaryResourceDeleted()) {
            // gone; owned objects follow through owner references
            workflow.queue().forget(es.getMetadata().getUid());
            conditionMetrics.remove(
                    es.getMetadata().getNamespace(), es.getMetadata().getName());
            return UpdateControl.noUpdate();
        }
        if (es.isMarkedForDeletion()) {
            cleanup(es, context);
            return UpdateControl.noUpdate();
        }

        List<String> errors = SpecValidator.validate(es);
        if (!errors.isEmpty()) {
            // not retried: only a spec change (a new generation) can fix it
            publish(es, context, StatusModel.invalid(es.getStatus(), generation(es), errors, clock.instant()), false);
            return UpdateControl.noUpdate();
        }

        EventSinkModel model = EventSinkModel.fromCrd(es);
        Models.put(context, model);
        var result = workflow.reconcile(es, context);
        Exception failure = workflow.firstError(result);
        if (failure != null) {
            throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
        }
        manageFinalizer(es, context, model);

        Degradation degradation = model.wantsServiceMonitor() && !workflow.serviceMonitorsAvailable(context)
                ? new Degradation(
                        "MonitoringUnavailable",
                        "monitoring.enabled is set but the cluster does not serve " + workflow.serviceMonitorApi()
                                + " (install the Prometheus Operator's CRDs); no ServiceMonitor was created")
                : null;
        EventSinkStatus next = StatusModel.reconciled(
                model,
                es.getStatus(),
                Models.queue(context),
                Models.deployment(context).orElse(null),
                degradation,
                clock.instant());
        publish(es, context, next, false);
        // the next queue check (SQS cannot notify us of drift)
        return UpdateControl.<EventSink>noUpdate()
                .rescheduleAfter(workflow.queue().untilNextCheck(model));
    }

    @Override
    public ErrorStatusUpdateControl<EventSink> updateErrorStatus(
            EventSink es, Context<EventSink> context, Exception e) {
        if (context.isPrimaryResourceDeleted()) {
            return ErrorStatusUpdateControl.noStatusUpdate();
        }
        ReconcileFailure known = find(e);
        String reason = known != null ? known.reason() : "ReconcileError";
        Throwable shown = known != null ? known : (e.getCause() != null ? e.getCause() : e);
        String message = shown.getMessage() != null
                ? shown.getMessage()
                : shown.getClass().getSimpleName();
        log.warn(
                "Reconciling {}/{} failed ({}): {}",
                es.getMetadata().getNamespace(),
                es.getMetadata().getName(),
                reason,
                message);
        boolean queueProblem = known != null && known.queueProblem();
        publish(
                es,
                context,
                StatusModel.failed(es.getStatus(), generation(es), queueProblem, reason, message, clock.instant()),
                true);
        ErrorStatusUpdateControl<EventSink> control = ErrorStatusUpdateControl.noStatusUpdate();
        // dictated waits (SQS's 60-second rule, a conflict nobody tells us the end of) replace the backoff
        return known != null && known.retryAfter() != null ? control.rescheduleAfter(known.retryAfter()) : control;
    }

    /** Events for the transitions, the condition gauge, then the status itself. */
    private void publish(EventSink es, Context<EventSink> context, EventSinkStatus next, boolean failure) {
        EventTransitions.between(es.getStatus(), next).forEach(a -> events.record(es, a));
        conditionMetrics.update(
                es.getMetadata().getNamespace(), es.getMetadata().getName(), next);
        if (failure) {
            StatusWriter.patchFailureIfChanged(es, context, next);
        } else {
            StatusWriter.patchIfChanged(es, context, next);
        }
    }

    /** JOSDK wraps what the reconciler throws; find our own failure in the chain. */
    private static ReconcileFailure find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ReconcileFailure f) {
                return f;
            }
        }
        return null;
    }

    private void cleanup(EventSink es, Context<EventSink> context) {
        conditionMetrics.remove(
                es.getMetadata().getNamespace(), es.getMetadata().getName());
        if (!es.hasFinalizer(QUEUE_FINALIZER)) {
            return;
        }
        EventSinkModel model = EventSinkModel.fromCrd(es);
        if (model.deletesQueueOnDeletion()) {
            workflow.queue().delete(model); // throws on SQS errors: retried with backoff, finalizer kept
            events.normal(es, "QueueDeleted", "deleted queue " + QueueModel.name(model) + " (deletionPolicy Delete)");
        }
        PrimaryUpdateAndCacheUtils.removeFinalizer(context, QUEUE_FINALIZER);
    }

    /** The finalizer exists only while there is a queue to delete on our side. */
    private static void manageFinalizer(EventSink es, Context<EventSink> context, EventSinkModel model) {
        boolean needed = Models.queue(context).managed() && model.deletesQueueOnDeletion();
        EventSink updated = null;
        if (needed && !es.hasFinalizer(QUEUE_FINALIZER)) {
            updated = PrimaryUpdateAndCacheUtils.addFinalizer(context, QUEUE_FINALIZER);
        } else if (!needed && es.hasFinalizer(QUEUE_FINALIZER)) {
            updated = PrimaryUpdateAndCacheUtils.removeFinalizer(context, QUEUE_FINALIZER);
        }
        if (updated != null) {
            es.getMetadata().setResourceVersion(updated.getMetadata().getResourceVersion());
            es.getMetadata().setFinalizers(updated.getMetadata().getFinalizers());
        }
    }

    private static long generation(EventSink es) {
        Long g = es.getMetadata().getGeneration();
        return g == null ? 0L : g;
    }
}
