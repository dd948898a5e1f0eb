package io.eventsink.operator.model;

import static io.eventsink.operator.model.Conditions.DEGRADED;
import static io.eventsink.operator.model.Conditions.DEPLOYMENT_READY;
import static io.eventsink.operator.model.Conditions.QUEUE_READY;
import static io.eventsink.operator.model.Conditions.READY;

import io.eventsink.operator.crd.Condition;
import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.crd.EventSinkStatus;
import io.eventsink.operator.sqs.QueueState;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Computes the next status from what the reconcile found; pure, so the rules are unit-tested. */
public final class StatusModel {
    private StatusModel() {}

    public static EventSinkStatus ready(EventSink es, QueueState queue, Deployment deployment, Instant now) {
        EventSinkStatus s = copyBase(es);
        s.queueUrl = queue.url();
        s.queueArn = queue.arn();
        s.deadLetterQueueUrl = queue.deadLetterUrl();
        s.deadLetterQueueArn = queue.deadLetterArn();
        s.queueManaged = queue.managed();
        var ds = deployment == null ? null : deployment.getStatus();
        s.replicas = ds == null || ds.getReplicas() == null ? 0 : ds.getReplicas();
        s.readyReplicas = ds == null || ds.getReadyReplicas() == null ? 0 : ds.getReadyReplicas();
        s.selector = Labels.selectorString(es);
        s.endpoint = ServiceModel.endpoint(es);

        Condition queueCond = new Condition(
                QUEUE_READY,
                true,
                queue.managed() ? "QueueReconciled" : "QueueVerified",
                "queue " + queue.url() + " is ready");
        Condition depCond = deploymentCondition(deployment);
        boolean ok = depCond.isTrue();
        Condition ready = new Condition(
                READY,
                ok,
                ok ? "Ready" : depCond.reason,
                ok ? "accepting events at " + s.endpoint : "waiting for the Deployment: " + depCond.message);
        Condition degraded = new Condition(DEGRADED, false, "AsExpected", "no problems found");
        s.conditions =
                Conditions.merge(previous(es), List.of(ready, queueCond, depCond, degraded), generation(es), now);
        return s;
    }

    /** The spec cannot be acted on; nothing else is touched until it changes. */
    public static EventSinkStatus invalid(EventSink es, List<String> errors, Instant now) {
        EventSinkStatus s = copyBase(es);
        String msg = "invalid spec: " + String.join("; ", errors);
        List<Condition> fresh = new ArrayList<>();
        fresh.add(new Condition(READY, false, "InvalidSpec", msg));
        keepOrUnknown(es, fresh, QUEUE_READY);
        keepOrUnknown(es, fresh, DEPLOYMENT_READY);
        fresh.add(new Condition(DEGRADED, true, "InvalidSpec", msg));
        s.conditions = Conditions.merge(previous(es), fresh, generation(es), now);
        return s;
    }

    /** A failed reconcile: the queue (reason from SQS) or anything else. Other conditions keep their last state. */
    public static EventSinkStatus failed(
            EventSink es, boolean queueProblem, String reason, String message, Instant now) {
        EventSinkStatus s = copyBase(es);
        List<Condition> fresh = new ArrayList<>();
        fresh.add(new Condition(READY, false, reason, message));
        if (queueProblem) {
            fresh.add(new Condition(QUEUE_READY, false, reason, message));
        } else {
            keepOrUnknown(es, fresh, QUEUE_READY);
        }
        keepOrUnknown(es, fresh, DEPLOYMENT_READY);
        fresh.add(new Condition(DEGRADED, true, reason, message));
        s.conditions = Conditions.merge(previous(es), fresh, generation(es), now);
        return s;
    }

    static Condition deploymentCondition(Deployment d) {
        if (d == null || d.getStatus() == null) {
            return new Condition(DEPLOYMENT_READY, false, "Progressing", "0 replicas available");
        }
        var st = d.getStatus();
        int available = st.getAvailableReplicas() == null ? 0 : st.getAvailableReplicas();
        int ready = st.getReadyReplicas() == null ? 0 : st.getReadyReplicas();
        int wanted = d.getSpec().getReplicas() != null
                ? d.getSpec().getReplicas()
                : st.getReplicas() != null ? st.getReplicas() : 1;
        String counts = ready + "/" + wanted + " replicas ready";
        boolean generationSeen = st.getObservedGeneration() == null
                || d.getMetadata().getGeneration() == null
                || st.getObservedGeneration() >= d.getMetadata().getGeneration();
        DeploymentCondition availableCond = st.getConditions() == null
                ? null
                : st.getConditions().stream()
                        .filter(c -> "Available".equals(c.getType()))
                        .findFirst()
                        .orElse(null);
        if (!generationSeen) {
            return new Condition(DEPLOYMENT_READY, false, "Progressing", "rollout pending, " + counts);
        }
        if (availableCond != null && !"True".equals(availableCond.getStatus())) {
            return new Condition(
                    DEPLOYMENT_READY,
                    false,
                    "Unavailable",
                    counts + (availableCond.getMessage() != null ? ": " + availableCond.getMessage() : ""));
        }
        if (available < 1) {
            return new Condition(DEPLOYMENT_READY, false, "Progressing", counts);
        }
        return new Condition(DEPLOYMENT_READY, true, "Available", counts);
    }

    private static void keepOrUnknown(EventSink es, List<Condition> fresh, String type) {
        Condition old = es.getStatus() == null ? null : es.getStatus().condition(type);
        if (old != null) {
            Condition c = new Condition();
            c.type = old.type;
            c.status = old.status;
            c.reason = old.reason;
            c.message = old.message;
            fresh.add(c);
        } else {
            Condition c = new Condition(type, false, "Unknown", "not evaluated yet");
            c.status = "Unknown";
            fresh.add(c);
        }
    }

    private static EventSinkStatus copyBase(EventSink es) {
        EventSinkStatus s = new EventSinkStatus();
        EventSinkStatus old = es.getStatus();
        if (old != null) {
            s.queueUrl = old.queueUrl;
            s.queueArn = old.queueArn;
            s.deadLetterQueueUrl = old.deadLetterQueueUrl;
            s.deadLetterQueueArn = old.deadLetterQueueArn;
            s.queueManaged = old.queueManaged;
            s.replicas = old.replicas;
            s.readyReplicas = old.readyReplicas;
            s.selector = old.selector;
            s.endpoint = old.endpoint;
        }
        s.observedGeneration = generation(es);
        return s;
    }

    private static List<Condition> previous(EventSink es) {
        return es.getStatus() == null ? List.of() : es.getStatus().conditions;
    }

    private static long generation(EventSink es) {
        Long g = es.getMetadata().getGeneration();
        return g == null ? 0L : g;
    }
}
