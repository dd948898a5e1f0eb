package io.eventsink.operator.sqs;

import io.eventsink.operator.OperatorMetrics;
import io.eventsink.operator.model.EventSinkModel;
import io.eventsink.operator.model.QueueModel;
import io.eventsink.operator.model.QueueModel.DesiredQueue;
import io.eventsink.operator.model.QueueState;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
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
 * The SQS calls for an EventSink's queues: create when missing, put drifted attributes back (what to write comes
 * from {@link QueueModel#diff}), prove ownership by tags before anything is changed or deleted.
 */
public class SqsQueues {
    private static final Logger log = LoggerFactory.getLogger(SqsQueues.class);

    private final SqsClients clients;
    private final MeterRegistry metrics;

    public SqsQueues(SqsClients clients, MeterRegistry metrics) {
        this.clients = clients;
        this.metrics = metrics;
    }

    public QueueState reconcile(EventSinkModel m, String region) {
        return translated(() -> m.usesExistingQueue() ? verifyExisting(m, region) : reconcileManaged(m, region));
    }

    /** Deletes the queues only if this EventSink created them (proved by their owner tag). */
    public void delete(EventSinkModel m, String region) {
        translated(() -> {
            deleteOwned(m, region);
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

    private void deleteOwned(EventSinkModel m, String region) {
        SqsClient sqs = clients.get(region, m.queue().endpoint());
        for (String name : new String[] {QueueModel.name(m), QueueModel.deadLetterName(m)}) {
            String url;
            try {
                url = sqs.getQueueUrl(r -> r.queueName(name)).queueUrl();
            } catch (QueueDoesNotExistException e) {
                continue;
            }
            if (!m.owner().equals(sqs.listQueueTags(r -> r.queueUrl(url)).tags().get(QueueModel.TAG_OWNER))) {
                log.warn("Not deleting queue {}: it is not owned by {}", name, m.owner());
                continue;
            }
            sqs.deleteQueue(r -> r.queueUrl(url));
            log.info("Deleted queue {} of {}", name, m.owner());
        }
    }

    private QueueState verifyExisting(EventSinkModel m, String region) {
        String url = m.queue().existingUrl();
        SqsClient sqs = clients.get(region, m.queue().endpoint());
        try {
            var attrs = sqs.getQueueAttributes(r -> r.queueUrl(url)
                            .attributeNames(
                                    QueueAttributeName.QUEUE_ARN,
                                    QueueAttributeName.REDRIVE_POLICY,
                                    QueueAttributeName.MAXIMUM_MESSAGE_SIZE))
                    .attributes();
            requireRoomForPacks(m, attrs.get(QueueAttributeName.MAXIMUM_MESSAGE_SIZE));
            String dlqArn = QueueModel.deadLetterArnOf(attrs.get(QueueAttributeName.REDRIVE_POLICY));
            return new QueueState(url, attrs.get(QueueAttributeName.QUEUE_ARN), null, dlqArn, false);
        } catch (QueueDoesNotExistException e) {
            throw new QueueException("QueueNotFound", "queue.existingUrl " + url + " does not exist", null, e);
        }
    }

    /**
     * The team's queue is never changed: with the packed format it must already take the largest pack, else every
     * full pack would be refused. Checked when the server reports the attribute (ElasticMQ does not).
     */
    private static void requireRoomForPacks(EventSinkModel m, String maximumMessageSize) {
        var q = m.queue();
        if (q.packed() && maximumMessageSize != null && Long.parseLong(maximumMessageSize) < q.packMaxBytes()) {
            throw new QueueException(
                    "QueueMessageSizeTooSmall",
                    "queue.existingUrl " + q.existingUrl() + " takes messages of at most " + maximumMessageSize
                            + " bytes, queue.pack.maxBytes is " + q.packMaxBytes()
                            + ": raise the queue's MaximumMessageSize or lower queue.pack.maxBytes",
                    null,
                    null);
        }
    }

    private record Queue(String url, String arn) {}

    private QueueState reconcileManaged(EventSinkModel m, String region) {
        SqsClient sqs = clients.get(region, m.queue().endpoint());
        // The DLQ is created first (the main queue's redrive policy needs its ARN), so before creating
        // it make sure the main queue's name is not someone else's: a conflict must leave nothing behind.
        Queue dlq = QueueModel.deadLetterEnabled(m)
                ? ensure(sqs, m, QueueModel.deadLetter(m), () -> refuseForeign(sqs, m, QueueModel.name(m)))
                : null;
        Queue main = ensure(sqs, m, QueueModel.main(m, dlq == null ? null : dlq.arn()), () -> {});
        return new QueueState(
                main.url(), main.arn(), dlq == null ? null : dlq.url(), dlq == null ? null : dlq.arn(), true);
    }

    /** Creates the queue or, if it exists and is ours, puts drifted attributes back. */
    private Queue ensure(SqsClient sqs, EventSinkModel m, DesiredQueue desired, Runnable beforeCreate) {
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
                log.info("Created queue {} for {}", desired.name(), m.owner());
                metrics.counter(OperatorMetrics.QUEUE_CREATIONS).increment();
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
        requireOwned(m, desired.name(), tags);
        return new Queue(finalUrl, repairDrift(sqs, m, desired, finalUrl, tags));
    }

    /** Throws QueueNameConflict when a queue of that name exists and is not this EventSink's. */
    private static void refuseForeign(SqsClient sqs, EventSinkModel m, String name) {
        String url;
        try {
            url = sqs.getQueueUrl(r -> r.queueName(name)).queueUrl();
        } catch (QueueDoesNotExistException free) {
            return;
        }
        requireOwned(m, name, sqs.listQueueTags(r -> r.queueUrl(url)).tags());
    }

    private static void requireOwned(EventSinkModel m, String name, Map<String, String> tags) {
        String owner = tags.get(QueueModel.TAG_OWNER);
        if (!m.owner().equals(owner)) {
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
            SqsClient sqs, EventSinkModel m, DesiredQueue desired, String url, Map<String, String> tags) {
        Map<QueueAttributeName, String> actual = sqs.getQueueAttributes(
                        r -> r.queueUrl(url).attributeNames(QueueAttributeName.ALL))
                .attributes();
        var changes = QueueModel.diff(desired, actual, tags);
        if (!changes.attributes().isEmpty()) {
            log.info(
                    "Repairing queue {} attributes {} for {}",
                    desired.name(),
                    changes.attributes().keySet(),
                    m.owner());
            sqs.setQueueAttributes(r -> r.queueUrl(url).attributes(changes.attributes()));
            metrics.counter(OperatorMetrics.QUEUE_DRIFT_REPAIRED).increment();
        }
        if (!changes.tags().isEmpty()) {
            sqs.tagQueue(r -> r.queueUrl(url).tags(changes.tags()));
        }
        return actual.get(QueueAttributeName.QUEUE_ARN);
    }

    private static String arn(SqsClient sqs, String url) {
        return sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
    }

    private void count(String reason) {
        metrics.counter(OperatorMetrics.QUEUE_ERRORS, "reason", reason).increment();
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
