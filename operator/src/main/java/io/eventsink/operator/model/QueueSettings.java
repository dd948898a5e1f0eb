package io.eventsink.operator.model;

import static io.eventsink.operator.model.Resolve.or;
import static io.eventsink.operator.model.Resolve.sorted;

import io.eventsink.operator.crd.spec.DeadLetterQueueSpec;
import io.eventsink.operator.crd.spec.DeletionPolicy;
import io.eventsink.operator.crd.spec.EncryptionSpec;
import io.eventsink.operator.crd.spec.EncryptionType;
import io.eventsink.operator.crd.spec.QueueSpec;
import io.eventsink.settings.ServiceSettings;
import java.util.Map;
import java.util.Objects;

/**
 * {@code spec.queue} resolved: the desired state of the queue, compared as a whole to decide whether SQS must be
 * asked again.
 *
 * @param existingUrl the team's queue, or null when the operator creates {@code name}
 * @param name the queue to create, or null with {@code existingUrl}
 * @param packed whether the pods send the packed message format ({@code spec.queue.messageFormat})
 * @param packMaxBytes the largest packed message ({@code spec.queue.pack.maxBytes})
 */
public record QueueSettings(
        String existingUrl,
        String name,
        String region,
        String endpoint,
        int messageRetentionSeconds,
        int visibilityTimeoutSeconds,
        DeadLetterSettings deadLetter,
        EncryptionSettings encryption,
        Map<String, String> tags,
        DeletionPolicy deletionPolicy,
        boolean packed,
        int packMaxBytes) {

    public record DeadLetterSettings(boolean enabled, int maxReceiveCount, int messageRetentionSeconds) {}

    public record EncryptionSettings(EncryptionType type, String kmsKeyId, Integer kmsDataKeyReusePeriodSeconds) {}

    /** @param serviceConfig the service settings as resolved for the pods (the message format among them) */
    static QueueSettings from(QueueSpec spec, String namespace, String sinkName, Map<String, String> serviceConfig) {
        var q = Objects.requireNonNullElseGet(spec, QueueSpec::new);
        var dlq = Objects.requireNonNullElseGet(q.deadLetterQueue, DeadLetterQueueSpec::new);
        var enc = Objects.requireNonNullElseGet(q.encryption, EncryptionSpec::new);
        return new QueueSettings(
                q.existingUrl,
                q.existingUrl != null ? null : or(q.name, derivedName(namespace, sinkName)),
                q.region,
                q.endpoint,
                or(q.messageRetentionSeconds, QueueSpec.MESSAGE_RETENTION_DEFAULT),
                or(q.visibilityTimeoutSeconds, QueueSpec.VISIBILITY_TIMEOUT_DEFAULT),
                new DeadLetterSettings(
                        or(dlq.enabled, DeadLetterQueueSpec.ENABLED_DEFAULT),
                        or(dlq.maxReceiveCount, DeadLetterQueueSpec.MAX_RECEIVE_COUNT_DEFAULT),
                        or(dlq.messageRetentionSeconds, DeadLetterQueueSpec.MESSAGE_RETENTION_DEFAULT)),
                new EncryptionSettings(
                        or(enc.type, EncryptionType.SQS), enc.kmsKeyId, enc.kmsDataKeyReusePeriodSeconds),
                sorted(q.tags),
                or(q.deletionPolicy, DeletionPolicy.RETAIN),
                "packed".equals(serviceConfig.get(ServiceSettings.SQS_MESSAGE_FORMAT.env())),
                Integer.parseInt(serviceConfig.get(ServiceSettings.SQS_PACK_MAX_BYTES.env())));
    }

    /** es-NAMESPACE-NAME, shortened with a hash (kept unique: two long names may share a prefix). */
    static String derivedName(String namespace, String name) {
        String derived = ("es-" + namespace + "-" + name).replaceAll("[^A-Za-z0-9_-]", "-");
        if (derived.length() <= QueueSpec.MAX_NAME_LENGTH) {
            return derived;
        }
        return derived.substring(0, QueueSpec.MAX_NAME_LENGTH - 9) + "-" + Hashing.sha256Hex(derived, 8);
    }
}
