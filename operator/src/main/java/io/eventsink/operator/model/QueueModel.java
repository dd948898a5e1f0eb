package io.eventsink.operator.model;

import static io.eventsink.operator.model.Defaults.get;

import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.crd.EventSinkSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Desired SQS queues (main and dead-letter) for an EventSink; pure, no AWS calls. */
public final class QueueModel {
    public static final String TAG_MANAGED_BY = "eventsink.io/managed-by";
    public static final String TAG_OWNER = "eventsink.io/owner";
    static final int MAX_NAME = 76; // SQS allows 80; "-dlq" must still fit

    /** Desired state of one queue. */
    public record DesiredQueue(String name, Map<QueueAttributeName, String> attributes, Map<String, String> tags) {}

    private QueueModel() {}

    public static String name(EventSink es) {
        String explicit = get(es.getSpec().queue, q -> q.name, null);
        if (explicit != null) {
            return explicit;
        }
        String derived = ("es-" + es.getMetadata().getNamespace() + "-"
                        + es.getMetadata().getName())
                .replaceAll("[^A-Za-z0-9_-]", "-");
        if (derived.length() <= MAX_NAME) {
            return derived;
        }
        // keep it unique when shortening: two long names may share a prefix
        return derived.substring(0, MAX_NAME - 9) + "-" + shortHash(derived);
    }

    public static String deadLetterName(EventSink es) {
        return name(es) + "-dlq";
    }

    public static boolean deadLetterEnabled(EventSink es) {
        return get(Defaults.queue(es.getSpec()).deadLetterQueue, d -> d.enabled, true);
    }

    public static String owner(EventSink es) {
        return es.getMetadata().getNamespace() + "/" + es.getMetadata().getName();
    }

    public static Map<String, String> tags(EventSink es) {
        Map<String, String> tags = new TreeMap<>();
        EventSinkSpec.Queue q = Defaults.queue(es.getSpec());
        if (q.tags != null) {
            tags.putAll(q.tags);
        }
        tags.put(TAG_MANAGED_BY, Labels.OPERATOR);
        tags.put(TAG_OWNER, owner(es));
        return tags;
    }

    public static DesiredQueue deadLetter(EventSink es) {
        EventSinkSpec.Queue q = Defaults.queue(es.getSpec());
        Map<QueueAttributeName, String> attrs = new LinkedHashMap<>();
        attrs.put(
                QueueAttributeName.MESSAGE_RETENTION_PERIOD,
                String.valueOf(get(
                        q.deadLetterQueue, d -> d.messageRetentionSeconds, Defaults.DLQ_MESSAGE_RETENTION_SECONDS)));
        encryption(q, attrs);
        return new DesiredQueue(deadLetterName(es), attrs, tags(es));
    }

    /** @param deadLetterArn ARN of the dead-letter queue, or null when it is disabled */
    public static DesiredQueue main(EventSink es, String deadLetterArn) {
        EventSinkSpec.Queue q = Defaults.queue(es.getSpec());
        Map<QueueAttributeName, String> attrs = new LinkedHashMap<>();
        attrs.put(
                QueueAttributeName.MESSAGE_RETENTION_PERIOD,
                String.valueOf(get(q, x -> x.messageRetentionSeconds, Defaults.MESSAGE_RETENTION_SECONDS)));
        attrs.put(
                QueueAttributeName.VISIBILITY_TIMEOUT,
                String.valueOf(get(q, x -> x.visibilityTimeoutSeconds, Defaults.VISIBILITY_TIMEOUT_SECONDS)));
        if (deadLetterArn != null) {
            attrs.put(
                    QueueAttributeName.REDRIVE_POLICY,
                    redrivePolicy(
                            deadLetterArn,
                            get(q.deadLetterQueue, d -> d.maxReceiveCount, Defaults.DLQ_MAX_RECEIVE_COUNT)));
        }
        encryption(q, attrs);
        return new DesiredQueue(name(es), attrs, tags(es));
    }

    public static String redrivePolicy(String deadLetterArn, int maxReceiveCount) {
        return "{\"deadLetterTargetArn\":\"" + deadLetterArn + "\",\"maxReceiveCount\":" + maxReceiveCount + "}";
    }

    private static void encryption(EventSinkSpec.Queue q, Map<QueueAttributeName, String> attrs) {
        String type = get(q.encryption, e -> e.type, Defaults.ENCRYPTION);
        switch (type) {
            case "KMS" -> {
                attrs.put(QueueAttributeName.KMS_MASTER_KEY_ID, q.encryption.kmsKeyId);
                if (q.encryption.kmsDataKeyReusePeriodSeconds != null) {
                    attrs.put(
                            QueueAttributeName.KMS_DATA_KEY_REUSE_PERIOD_SECONDS,
                            String.valueOf(q.encryption.kmsDataKeyReusePeriodSeconds));
                }
            }
            case "None" -> attrs.put(QueueAttributeName.SQS_MANAGED_SSE_ENABLED, "false");
            default -> attrs.put(QueueAttributeName.SQS_MANAGED_SSE_ENABLED, "true");
        }
    }

    static String shortHash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
