package io.eventsink.operator.model;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Desired SQS queues (main and dead-letter) of an EventSink, and how an existing queue differs; pure, no AWS calls. */
public final class QueueModel {
    public static final String TAG_MANAGED_BY = "eventsink.io/managed-by";
    public static final String TAG_OWNER = "eventsink.io/owner";
    /**
     * The largest message of the event format, one event per message: an event of at most MAX_EVENT_BYTES plus its
     * attributes. SQS's limit before it took 1 MiB; still what the queues are given unless packs need more, so
     * that pods of either format can write to the queue while a change of format rolls out.
     */
    public static final int EVENT_FORMAT_MESSAGE_BYTES = 262_144;
    /**
     * Attributes some SQS-compatible servers do not report (ElasticMQ neither keeps nor reports MaximumMessageSize);
     * only compared when the server returns them.
     */
    private static final Set<QueueAttributeName> OPTIONAL = Set.of(
            QueueAttributeName.SQS_MANAGED_SSE_ENABLED,
            QueueAttributeName.MESSAGE_RETENTION_PERIOD,
            QueueAttributeName.MAXIMUM_MESSAGE_SIZE,
            QueueAttributeName.KMS_MASTER_KEY_ID,
            QueueAttributeName.KMS_DATA_KEY_REUSE_PERIOD_SECONDS);

    /** Desired state of one queue. */
    public record DesiredQueue(String name, Map<QueueAttributeName, String> attributes, Map<String, String> tags) {}

    /** What to write to an existing queue so that it becomes the desired one; empty maps when nothing. */
    public record QueueChanges(Map<QueueAttributeName, String> attributes, Map<String, String> tags) {
        public boolean isEmpty() {
            return attributes.isEmpty() && tags.isEmpty();
        }
    }

    private QueueModel() {}

    public static String name(EventSinkModel m) {
        return m.queue().name();
    }

    public static String deadLetterName(EventSinkModel m) {
        return name(m) + "-dlq";
    }

    public static boolean deadLetterEnabled(EventSinkModel m) {
        return m.queue().deadLetter().enabled();
    }

    public static Map<String, String> tags(EventSinkModel m) {
        Map<String, String> tags = new TreeMap<>(m.queue().tags());
        tags.put(TAG_MANAGED_BY, Labels.OPERATOR);
        tags.put(TAG_OWNER, m.owner()); // after the spec's tags: ownership cannot be spoofed
        return tags;
    }

    /**
     * The MaximumMessageSize of the queues: what the pods send, the event format's largest message or, with the packed
     * format, the largest pack if that is more. The dead-letter queue gets the same, so that every message can move.
     */
    public static int maximumMessageSize(EventSinkModel m) {
        var q = m.queue();
        return q.packed() ? Math.max(EVENT_FORMAT_MESSAGE_BYTES, q.packMaxBytes()) : EVENT_FORMAT_MESSAGE_BYTES;
    }

    public static DesiredQueue deadLetter(EventSinkModel m) {
        Map<QueueAttributeName, String> attrs = new LinkedHashMap<>();
        attrs.put(
                QueueAttributeName.MESSAGE_RETENTION_PERIOD,
                String.valueOf(m.queue().deadLetter().messageRetentionSeconds()));
        attrs.put(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, String.valueOf(maximumMessageSize(m)));
        encryption(m, attrs);
        return new DesiredQueue(deadLetterName(m), attrs, tags(m));
    }

    /** @param deadLetterArn ARN of the dead-letter queue, or null when it is disabled */
    public static DesiredQueue main(EventSinkModel m, String deadLetterArn) {
        var q = m.queue();
        Map<QueueAttributeName, String> attrs = new LinkedHashMap<>();
        attrs.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, String.valueOf(q.messageRetentionSeconds()));
        attrs.put(QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(q.visibilityTimeoutSeconds()));
        attrs.put(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, String.valueOf(maximumMessageSize(m)));
        if (deadLetterArn != null) {
            attrs.put(
                    QueueAttributeName.REDRIVE_POLICY,
                    redrivePolicy(deadLetterArn, q.deadLetter().maxReceiveCount()));
        }
        encryption(m, attrs);
        return new DesiredQueue(name(m), attrs, tags(m));
    }

    public static String redrivePolicy(String deadLetterArn, int maxReceiveCount) {
        return "{\"deadLetterTargetArn\":\"" + deadLetterArn + "\",\"maxReceiveCount\":" + maxReceiveCount + "}";
    }

    /**
     * The attributes and tags to write so that the queue with {@code actual} attributes and tags becomes
     * {@code desired}. Tags are only added or corrected, never removed (others may tag the queue too).
     */
    public static QueueChanges diff(
            DesiredQueue desired, Map<QueueAttributeName, String> actual, Map<String, String> actualTags) {
        Map<QueueAttributeName, String> attrs = new LinkedHashMap<>();
        desired.attributes().forEach((k, v) -> {
            String a = actual.get(k);
            if (a == null && OPTIONAL.contains(k)) {
                return;
            }
            boolean same = k == QueueAttributeName.REDRIVE_POLICY
                    ? sameRedrivePolicy(a, v)
                    : v.equalsIgnoreCase(Objects.requireNonNullElse(a, ""));
            if (!same) {
                attrs.put(k, v);
            }
        });
        String redrive = actual.get(QueueAttributeName.REDRIVE_POLICY);
        if (!desired.attributes().containsKey(QueueAttributeName.REDRIVE_POLICY)
                && redrive != null
                && !redrive.isEmpty()) {
            attrs.put(QueueAttributeName.REDRIVE_POLICY, ""); // dead-letter queue switched off
        }
        Map<String, String> tags = new LinkedHashMap<>();
        desired.tags().forEach((k, v) -> {
            if (!v.equals(actualTags.get(k))) {
                tags.put(k, v);
            }
        });
        return new QueueChanges(attrs, tags);
    }

    /** The dead-letter ARN named by a redrive policy, or null. */
    @SuppressWarnings("unchecked")
    public static String deadLetterArnOf(String redrivePolicy) {
        if (redrivePolicy == null || redrivePolicy.isEmpty()) {
            return null;
        }
        return (String) Serialization.unmarshal(redrivePolicy, Map.class).get("deadLetterTargetArn");
    }

    @SuppressWarnings("unchecked")
    private static boolean sameRedrivePolicy(String a, String b) {
        if (a == null || a.isEmpty()) {
            return b == null || b.isEmpty();
        }
        Map<String, Object> x = Serialization.unmarshal(a, Map.class);
        Map<String, Object> y = Serialization.unmarshal(b, Map.class);
        return String.valueOf(x.get("deadLetterTargetArn")).equals(String.valueOf(y.get("deadLetterTargetArn")))
                && String.valueOf(x.get("maxReceiveCount")).equals(String.valueOf(y.get("maxReceiveCount")));
    }

    private static void encryption(EventSinkModel m, Map<QueueAttributeName, String> attrs) {
        var e = m.queue().encryption();
        switch (e.type()) {
            case KMS -> {
                attrs.put(QueueAttributeName.KMS_MASTER_KEY_ID, e.kmsKeyId());
                if (e.kmsDataKeyReusePeriodSeconds() != null) {
                    attrs.put(
                            QueueAttributeName.KMS_DATA_KEY_REUSE_PERIOD_SECONDS,
                            String.valueOf(e.kmsDataKeyReusePeriodSeconds()));
                }
            }
            case NONE -> attrs.put(QueueAttributeName.SQS_MANAGED_SSE_ENABLED, "false");
            case SQS -> attrs.put(QueueAttributeName.SQS_MANAGED_SSE_ENABLED, "true");
        }
    }
}
