package io.eventsink.operator.model;

import static io.eventsink.operator.model.Conditions.DEGRADED;
import static io.eventsink.operator.model.Conditions.DEPLOYMENT_READY;
import static io.eventsink.operator.model.Conditions.QUEUE_READY;
import static io.eventsink.operator.model.Conditions.READY;

import io.eventsink.operator.crd.Condition;
import io.eventsink.operator.crd.EventSinkStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import java.time.Instant;
import java.util.List;

/** Computes the next status from what the reconcile found; pure, so the rules are unit-tested. */
public final class StatusModel {
    private StatusModel() {}

    /** Something that does not stop the sink but is not as asked (Degraded=True while Ready may hold). */
    public record Degradation(String reason, String message) {}

    /** The queue and Kubernetes objects were reconciled; Ready follows the Deployment. */
    public static EventSinkStatus reconciled(
            EventSinkModel m,
            EventSinkStatus previous,
            QueueState queue,
            Deployment deployment,
            Degradation degradation,
            Instant now) {
        EventSinkStatus s = copyBase(previous);
        s.queueUrl = queue.url();
        s.queueArn = queue.arn();
        s.deadLetterQueueUrl = queue.deadLetterUrl();
        s.deadLetterQueueArn = queue.deadLetterArn();
        s.queueManaged = queue.managed();
        var ds = deployment == null ? null : deployment.getStatus();
        s.replicas = ds == null || ds.getReplicas() == null ? 0 : ds.getReplicas();
        s.readyReplicas = ds == null || ds.getReadyReplicas() == null ? 0 : ds.getReadyReplicas();
        s.selector = Labels.selectorString(m);
        s.endpoint = m.endpoint();

        Condition dep = deploymentCondition(deployment);
        boolean ok = dep.isTrue();
        var agg = new StatusAggregator(previous, m.generation(), now)
                .set(
                        READY,
                        ok,
                        ok ? "Ready" : dep.reason,
                        ok ? "accepting events at " + s.endpoint : "waiting for the Deployment: " + dep.message)
                .set(
                        QUEUE_READY,
                        true,
                        queue.managed() ? "QueueReconciled" : "QueueVerified",
                        "queue " + queue.url() + " is ready")
                .set(DEPLOYMENT_READY, dep.statusValue(), dep.reason, dep.message);
        if (degradation != null) {
            agg.set(DEGRADED, true, degradation.reason(), degradation.message());
        } else {
            agg.set(DEGRADED, false, "AsExpected", "no problems found");
        }
        return agg.build(s);
    }

    /** The spec cannot be acted on; nothing else is touched until it changes. */
    public static EventSinkStatus invalid(EventSinkStatus previous, long generation, List<String> errors, Instant now) {
        String msg = "invalid spec: " + String.join("; ", errors);
        return new StatusAggregator(previous, generation, now)
                .set(READY, false, "InvalidSpec", msg)
                .keep(QUEUE_READY)
                .keep(DEPLOYMENT_READY)
                .set(DEGRADED, true, "InvalidSpec", msg)
                .build(copyBase(previous));
    }

    /** A failed reconcile: the queue (reason from SQS) or anything else. Other conditions keep their last state. */
    public static EventSinkStatus failed(
            EventSinkStatus previous,
            long generation,
            boolean queueProblem,
            String reason,
            String message,
            Instant now) {
        var agg = new StatusAggregator(previous, generation, now).set(READY, false, reason, message);
        if (queueProblem) {
            agg.set(QUEUE_READY, false, reason, message);
        } else {
            agg.keep(QUEUE_READY);
        }
        return agg.keep(DEPLOYMENT_READY).set(DEGRADED, true, reason, message).build(copyBase(previous));
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

    /** The previous status' non-condition fields: the last known queue and replicas survive a failure. */
    private static EventSinkStatus copyBase(EventSinkStatus old) {
        EventSinkStatus s = new EventSinkStatus();
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
        return s;
    }
}
