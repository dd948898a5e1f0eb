package io.eventsink.operator.dependent;

import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.model.Defaults;
import io.eventsink.operator.model.QueueModel;
import io.eventsink.operator.model.QueueModel.DesiredQueue;
import io.eventsink.operator.sqs.QueueException;
import io.eventsink.operator.sqs.QueueState;
import io.eventsink.operator.sqs.SqsClients;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDeletedRecentlyException;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * The SQS queue (and its dead-letter queue) as a dependent of an EventSink: created when missing, attributes put
 * back when they drift, ownership proven by tags before anything is changed or deleted.
 */
public class SqsQueueDependent {
    private static final Logger log = LoggerFactory.getLogger(SqsQueueDependent.class);
    private static final Pattern AWS_QUEUE_URL = Pattern.compile("^https://sqs\\.([a-z0-9-]+)\\.amazonaws\\.com.*");
    /** Attributes some SQS-compatible servers do not report; only compared when the server returns them. */
    private static final Set<QueueAttributeName> OPTIONAL = Set.of(
            QueueAttributeName.SQS_MANAGED_SSE_ENABLED,
            QueueAttributeName.MESSAGE_RETENTION_PERIOD,
            QueueAttributeName.KMS_MASTER_KEY_ID,
            QueueAttributeName.KMS_DATA_KEY_REUSE_PERIOD_SECONDS);

    private final SqsClients clients;
    private final MeterRegistry metrics;

    public SqsQueueDependent(SqsClients clients, MeterRegistry metrics) {
        this.clients = clients;
        this.metrics = metrics;
    }

    /** Desired main queue; the dead-letter ARN is only known once that queue exists. */
    public DesiredQueue desired(EventSink es, String deadLetterArn) {
        return QueueModel.main(es, deadLetterArn);
    }

    public QueueState reconcile(EventSink es) {
        return translated(() -> Defaults.usesExistingQueue(es.getSpec()) ? verifyExisting(es) : reconcileManaged(es));
    }

    /** Deletes the queues only if this EventSink created them (proved by their owner tag). */
    public void delete(EventSink es) {
        translated(() -> {
            deleteOwned(es);
            return null;
        });
    }

    /** SDK failures become QueueExceptions with a reason for the QueueReady condition. */
    private <T> T translated(Supplier<T> call) {
        try {
            return call.get();
        } catch (QueueException e) {
            count(e.reason());
            throw e;
        } catch (SdkClientException e) {
            count("SqsUnavailable");
            throw new QueueException("SqsUnavailable", "SQS is not reachable: " + rootMessage(e), null, e);
        } catch (SqsException e) {
            String code =
                    e.awsErrorDetails() != null ? e.awsErrorDetails().errorCode() : String.valueOf(e.statusCode());
            String reason = e.statusCode() == 403 ? "AccessDenied" : "SqsError";
            count(reason);
            // the error message without the request id, so that repeated failures leave the status unchanged
            String detail = e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
                    ? e.awsErrorDetails().errorMessage()
                    : "HTTP " + e.statusCode();
            throw new QueueException(reason, "SQS refused the request (" + code + "): " + detail, null, e);
        }
    }

    private void deleteOwned(EventSink es) {
        SqsClient sqs = client(es);
        for (String name : new String[] {QueueModel.name(es), QueueModel.deadLetterName(es)}) {
            String url;
            try {
                url = sqs.getQueueUrl(r -> r.queueName(name)).queueUrl();
            } catch (QueueDoesNotExistException e) {
                continue;
            }
            if (!QueueModel.owner(es)
                    .equals(sqs.listQueueTags(r -> r.queueUrl(url)).tags().get(QueueModel.TAG_OWNER))) {
                log.warn("Not deleting queue {}: it is not owned by {}", name, QueueModel.owner(es));
                continue;
            }
            sqs.deleteQueue(r -> r.queueUrl(url));
            log.info("Deleted queue {} of {}", name, QueueModel.owner(es));
        }
    }

    private QueueState verifyExisting(EventSink es) {
        String url = es.getSpec().queue.existingUrl;
        SqsClient sqs = client(es, regionFromUrl(url));
        try {
            var attrs = sqs.getQueueAttributes(r -> r.queueUrl(url)
                            .attributeNames(QueueAttributeName.QUEUE_ARN, QueueAttributeName.REDRIVE_POLICY))
                    .attributes();
            String dlqArn = deadLetterArnOf(attrs.get(QueueAttributeName.REDRIVE_POLICY));
            return new QueueState(url, attrs.get(QueueAttributeName.QUEUE_ARN), null, dlqArn, false);
        } catch (QueueDoesNotExistException e) {
            throw new QueueException("QueueNotFound", "queue.existingUrl " + url + " does not exist", null, e);
        }
    }

    private record Queue(String url, String arn) {}

    private QueueState reconcileManaged(EventSink es) {
        SqsClient sqs = client(es);
        // The DLQ is created first (the main queue's redrive policy needs its ARN), so before creating
        // it make sure the main queue's name is not someone else's: a conflict must leave nothing behind.
        Queue dlq = QueueModel.deadLetterEnabled(es)
                ? ensure(sqs, es, QueueModel.deadLetter(es), () -> refuseForeign(sqs, es, QueueModel.name(es)))
                : null;
        Queue main = ensure(sqs, es, desired(es, dlq == null ? null : dlq.arn()), () -> {});
        return new QueueState(
                main.url(), main.arn(), dlq == null ? null : dlq.url(), dlq == null ? null : dlq.arn(), true);
    }

    /** Creates the queue or, if it exists and is ours, puts drifted attributes back. */
    private Queue ensure(SqsClient sqs, EventSink es, DesiredQueue desired, Runnable beforeCreate) {
        String url;
        try {
            url = sqs.getQueueUrl(r -> r.queueName(desired.name())).queueUrl();
        } catch (QueueDoesNotExistException missing) {
            beforeCreate.run();
            try {
                url = sqs.createQueue(r -> r.queueName(desired.name())
                                .attributes(desired.attributes())
                                .tags(desired.tags()))
                        .queueUrl();
                log.info("Created queue {} for {}", desired.name(), QueueModel.owner(es));
                metrics.counter("eventsink_operator_queue_creations_total").increment();
                return new Queue(url, arn(sqs, url));
            } catch (QueueDeletedRecentlyException e) {
                // SQS refuses the name for 60 s after a deletion; retrying sooner only burns calls
                throw new QueueException(
                        "QueueDeletedRecently",
                        "queue " + desired.name() + " was deleted less than 60 s ago; creating it again after the wait",
                        Duration.ofSeconds(65),
                        e);
            } catch (QueueNameExistsException e) {
                // created concurrently with different attributes: adopt it below (ownership checked) and repair
                url = sqs.getQueueUrl(r -> r.queueName(desired.name())).queueUrl();
            }
        }
        String finalUrl = url;
        Map<String, String> tags = sqs.listQueueTags(r -> r.queueUrl(finalUrl)).tags();
        requireOwned(es, desired.name(), tags);
        return new Queue(finalUrl, repairDrift(sqs, es, desired, finalUrl, tags));
    }

    /** Throws QueueNameConflict when a queue of that name exists and is not this EventSink's. */
    private static void refuseForeign(SqsClient sqs, EventSink es, String name) {
        String url;
        try {
            url = sqs.getQueueUrl(r -> r.queueName(name)).queueUrl();
        } catch (QueueDoesNotExistException free) {
            return;
        }
        requireOwned(es, name, sqs.listQueueTags(r -> r.queueUrl(url)).tags());
    }

    private static void requireOwned(EventSink es, String name, Map<String, String> tags) {
        String owner = tags.get(QueueModel.TAG_OWNER);
        if (!QueueModel.owner(es).equals(owner)) {
            throw new QueueException(
                    "QueueNameConflict",
                    "queue " + name + " already exists and belongs to " + (owner == null ? "someone else" : owner)
                            + "; set queue.name or queue.existingUrl",
                    Duration.ofMinutes(5),
                    null);
        }
    }

    /** @return the queue ARN (read with the other attributes, saving a call) */
    private String repairDrift(
            SqsClient sqs, EventSink es, DesiredQueue desired, String url, Map<String, String> tags) {
        Map<QueueAttributeName, String> actual = sqs.getQueueAttributes(
                        r -> r.queueUrl(url).attributeNames(QueueAttributeName.ALL))
                .attributes();
        Map<QueueAttributeName, String> drift = new LinkedHashMap<>();
        desired.attributes().forEach((k, v) -> {
            String a = actual.get(k);
            if (a == null && OPTIONAL.contains(k)) {
                return;
            }
            boolean same = k == QueueAttributeName.REDRIVE_POLICY
                    ? sameJson(a, v)
                    : v.equalsIgnoreCase(Objects.requireNonNullElse(a, ""));
            if (!same) {
                drift.put(k, v);
            }
        });
        if (!desired.attributes().containsKey(QueueAttributeName.REDRIVE_POLICY)
                && actual.get(QueueAttributeName.REDRIVE_POLICY) != null
                && !actual.get(QueueAttributeName.REDRIVE_POLICY).isEmpty()) {
            drift.put(QueueAttributeName.REDRIVE_POLICY, ""); // dead-letter queue switched off
        }
        if (!drift.isEmpty()) {
            log.info("Repairing queue {} attributes {} for {}", desired.name(), drift.keySet(), QueueModel.owner(es));
            sqs.setQueueAttributes(r -> r.queueUrl(url).attributes(drift));
            metrics.counter("eventsink_operator_queue_drift_repaired_total").increment();
        }
        Map<String, String> missingTags = new LinkedHashMap<>();
        desired.tags().forEach((k, v) -> {
            if (!v.equals(tags.get(k))) {
                missingTags.put(k, v);
            }
        });
        if (!missingTags.isEmpty()) {
            sqs.tagQueue(r -> r.queueUrl(url).tags(missingTags));
        }
        return actual.get(QueueAttributeName.QUEUE_ARN);
    }

    private static String arn(SqsClient sqs, String url) {
        return sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
    }

    @SuppressWarnings("unchecked")
    private static boolean sameJson(String a, String b) {
        if (a == null || a.isEmpty()) {
            return b == null || b.isEmpty();
        }
        Map<String, Object> x = Serialization.unmarshal(a, Map.class);
        Map<String, Object> y = Serialization.unmarshal(b, Map.class);
        return String.valueOf(x.get("deadLetterTargetArn")).equals(String.valueOf(y.get("deadLetterTargetArn")))
                && String.valueOf(x.get("maxReceiveCount")).equals(String.valueOf(y.get("maxReceiveCount")));
    }

    @SuppressWarnings("unchecked")
    private static String deadLetterArnOf(String redrivePolicy) {
        if (redrivePolicy == null || redrivePolicy.isEmpty()) {
            return null;
        }
        return (String) Serialization.unmarshal(redrivePolicy, Map.class).get("deadLetterTargetArn");
    }

    private SqsClient client(EventSink es) {
        return client(es, null);
    }

    private SqsClient client(EventSink es, String regionFallback) {
        var q = Defaults.queue(es.getSpec());
        return clients.get(q.region != null ? q.region : regionFallback, q.endpoint);
    }

    /** Region for the Deployment's AWS_REGION. */
    public String region(EventSink es) {
        var q = Defaults.queue(es.getSpec());
        if (q.region != null) {
            return q.region;
        }
        String fromUrl = q.existingUrl != null ? regionFromUrl(q.existingUrl) : null;
        return fromUrl != null ? fromUrl : clients.defaultRegion();
    }

    static String regionFromUrl(String url) {
        Matcher m = AWS_QUEUE_URL.matcher(url);
        return m.matches() ? m.group(1) : null;
    }

    private void count(String reason) {
        metrics.counter("eventsink_operator_queue_errors_total", "reason", reason)
                .increment();
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c == t
                ? String.valueOf(t.getMessage())
                : t.getMessage() + " (" + c.getClass().getSimpleName() + ")";
    }
}
