package io.eventsink.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventsink.operator.crd.spec.DeadLetterQueueSpec;
import io.eventsink.operator.crd.spec.EncryptionSpec;
import io.eventsink.operator.crd.spec.EncryptionType;
import io.eventsink.operator.crd.spec.PackSpec;
import io.eventsink.operator.crd.spec.QueueSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class QueueModelTest {

    @Test
    void defaultNameIsDerivedFromNamespaceAndName() {
        assertThat(QueueModel.name(Fixtures.minimalModel())).isEqualTo("es-ns-sink");
        assertThat(QueueModel.deadLetterName(Fixtures.minimalModel())).isEqualTo("es-ns-sink-dlq");
    }

    @Test
    void longNamesAreShortenedUniquely() {
        var a = Fixtures.minimal();
        a.setMetadata(new ObjectMetaBuilder()
                .withNamespace("n".repeat(60))
                .withName("a".repeat(40) + "-one")
                .build());
        var b = Fixtures.minimal();
        b.setMetadata(new ObjectMetaBuilder()
                .withNamespace("n".repeat(60))
                .withName("a".repeat(40) + "-two")
                .build());
        var ma = EventSinkModel.fromCrd(a);
        var mb = EventSinkModel.fromCrd(b);
        assertThat(QueueModel.name(ma)).hasSize(76).isNotEqualTo(QueueModel.name(mb));
        assertThat(QueueModel.deadLetterName(ma)).hasSizeLessThanOrEqualTo(80);
        assertThat(QueueModel.name(ma)).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void defaultAttributesWithDeadLetterQueueAndSseSqs() {
        var es = Fixtures.minimalModel();
        var main = QueueModel.main(es, "arn:aws:sqs:eu-west-1:1:es-ns-sink-dlq");
        assertThat(main.attributes())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        QueueAttributeName.MESSAGE_RETENTION_PERIOD,
                        "345600",
                        QueueAttributeName.VISIBILITY_TIMEOUT,
                        "30",
                        QueueAttributeName.REDRIVE_POLICY,
                        "{\"deadLetterTargetArn\":\"arn:aws:sqs:eu-west-1:1:es-ns-sink-dlq\",\"maxReceiveCount\":5}",
                        QueueAttributeName.SQS_MANAGED_SSE_ENABLED,
                        "true",
                        QueueAttributeName.MAXIMUM_MESSAGE_SIZE,
                        "262144"));
        assertThat(main.attributes()).doesNotContainKey(QueueAttributeName.FIFO_QUEUE);
        var dlq = QueueModel.deadLetter(es);
        assertThat(dlq.attributes())
                .containsEntry(QueueAttributeName.MESSAGE_RETENTION_PERIOD, "1209600")
                .containsEntry(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "262144");
        assertThat(QueueModel.deadLetterEnabled(es)).isTrue();
        assertThat(main.tags())
                .containsEntry(QueueModel.TAG_OWNER, "ns/sink")
                .containsEntry(QueueModel.TAG_MANAGED_BY, "eventsink-operator");
    }

    @Test
    void everyQueueSettingIsMapped() {
        var es = Fixtures.model(s -> {
            s.queue = new QueueSpec();
            s.queue.name = "player-events";
            s.queue.messageRetentionSeconds = 86400;
            s.queue.visibilityTimeoutSeconds = 90;
            s.queue.deadLetterQueue = new DeadLetterQueueSpec();
            s.queue.deadLetterQueue.maxReceiveCount = 3;
            s.queue.deadLetterQueue.messageRetentionSeconds = 600;
            s.queue.encryption = new EncryptionSpec();
            s.queue.encryption.type = EncryptionType.KMS;
            s.queue.encryption.kmsKeyId = "alias/eventsink";
            s.queue.encryption.kmsDataKeyReusePeriodSeconds = 3600;
            s.queue.tags = Map.of("team", "video", "eventsink.io/owner", "spoof");
        });
        var main = QueueModel.main(es, "arn:dlq");
        assertThat(main.name()).isEqualTo("player-events");
        assertThat(QueueModel.deadLetterName(es)).isEqualTo("player-events-dlq");
        assertThat(main.attributes())
                .containsEntry(QueueAttributeName.MESSAGE_RETENTION_PERIOD, "86400")
                .containsEntry(QueueAttributeName.VISIBILITY_TIMEOUT, "90")
                .containsEntry(
                        QueueAttributeName.REDRIVE_POLICY,
                        "{\"deadLetterTargetArn\":\"arn:dlq\",\"maxReceiveCount\":3}")
                .containsEntry(QueueAttributeName.KMS_MASTER_KEY_ID, "alias/eventsink")
                .containsEntry(QueueAttributeName.KMS_DATA_KEY_REUSE_PERIOD_SECONDS, "3600")
                .doesNotContainKey(QueueAttributeName.SQS_MANAGED_SSE_ENABLED);
        assertThat(QueueModel.deadLetter(es).attributes())
                .containsEntry(QueueAttributeName.MESSAGE_RETENTION_PERIOD, "600")
                .containsEntry(QueueAttributeName.KMS_MASTER_KEY_ID, "alias/eventsink");
        assertThat(main.tags())
                .containsEntry("team", "video")
                .as("ownership tags cannot be spoofed from the spec")
                .containsEntry(QueueModel.TAG_OWNER, "ns/sink");
    }

    /** Packs up to 1 MiB need a queue that takes them; smaller packs keep room for single-event messages. */
    @Test
    void thePackedFormatSizesBothQueuesForItsPacks() {
        var big = Fixtures.model(s -> {
            s.queue = new QueueSpec();
            s.queue.messageFormat = "packed";
            s.queue.pack = new PackSpec();
            s.queue.pack.maxBytes = 1_048_576;
        });
        assertThat(QueueModel.main(big, "arn:dlq").attributes())
                .containsEntry(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "1048576");
        assertThat(QueueModel.deadLetter(big).attributes())
                .containsEntry(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "1048576");

        var small = Fixtures.model(s -> {
            s.queue = new QueueSpec();
            s.queue.messageFormat = "packed";
        });
        assertThat(QueueModel.main(small, null).attributes())
                .as("the default pack (64 KiB) fits the event format's 256 KiB")
                .containsEntry(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "262144");
        var notPacked = Fixtures.model(s -> {
            s.queue = new QueueSpec();
            s.queue.pack = new PackSpec();
            s.queue.pack.maxBytes = 1_048_576;
        });
        assertThat(QueueModel.main(notPacked, null).attributes())
                .as("pack settings without the packed format change nothing")
                .containsEntry(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "262144");
    }

    @Test
    void maximumMessageSizeIsRepairedWhenReportedAndIgnoredWhenNot() {
        var desired = QueueModel.main(
                Fixtures.model(s -> {
                    s.queue = new QueueSpec();
                    s.queue.messageFormat = "packed";
                    s.queue.pack = new PackSpec();
                    s.queue.pack.maxBytes = 524_288;
                }),
                null);
        Map<QueueAttributeName, String> actual = new java.util.HashMap<>(desired.attributes());
        actual.remove(QueueAttributeName.MAXIMUM_MESSAGE_SIZE); // ElasticMQ does not report it
        assertThat(QueueModel.diff(desired, actual, desired.tags()).isEmpty()).isTrue();
        actual.put(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "262144");
        assertThat(QueueModel.diff(desired, actual, desired.tags()).attributes())
                .containsExactly(Map.entry(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "524288"));
    }

    @Test
    void deadLetterQueueAndEncryptionCanBeSwitchedOff() {
        var es = Fixtures.model(s -> {
            s.queue = new QueueSpec();
            s.queue.deadLetterQueue = new DeadLetterQueueSpec();
            s.queue.deadLetterQueue.enabled = false;
            s.queue.encryption = new EncryptionSpec();
            s.queue.encryption.type = EncryptionType.NONE;
        });
        assertThat(QueueModel.deadLetterEnabled(es)).isFalse();
        assertThat(QueueModel.main(es, null).attributes())
                .doesNotContainKey(QueueAttributeName.REDRIVE_POLICY)
                .containsEntry(QueueAttributeName.SQS_MANAGED_SSE_ENABLED, "false");
    }

    @Test
    void diffWritesOnlyWhatDiffersAndNeverRemovesOthersTags() {
        var desired = QueueModel.main(Fixtures.minimalModel(), "arn:dlq");
        Map<QueueAttributeName, String> actual = new java.util.HashMap<>(desired.attributes());
        actual.put(QueueAttributeName.QUEUE_ARN, "arn:q");
        Map<String, String> tags = new java.util.HashMap<>(desired.tags());
        tags.put("someone", "else");
        assertThat(QueueModel.diff(desired, actual, tags).isEmpty()).isTrue();

        actual.put(QueueAttributeName.VISIBILITY_TIMEOUT, "999");
        actual.put(
                QueueAttributeName.REDRIVE_POLICY, "{\"maxReceiveCount\":\"5\",\"deadLetterTargetArn\":\"arn:dlq\"}");
        actual.remove(QueueAttributeName.SQS_MANAGED_SSE_ENABLED); // not reported by some servers: not drift
        tags.remove(QueueModel.TAG_OWNER);
        var changes = QueueModel.diff(desired, actual, tags);
        assertThat(changes.attributes()).containsOnlyKeys(QueueAttributeName.VISIBILITY_TIMEOUT);
        assertThat(changes.tags()).containsOnlyKeys(QueueModel.TAG_OWNER);

        var noDlq = QueueModel.main(Fixtures.minimalModel(), null);
        assertThat(QueueModel.diff(noDlq, actual, tags).attributes())
                .as("dead-letter queue switched off: the redrive policy is cleared")
                .containsEntry(QueueAttributeName.REDRIVE_POLICY, "");
    }
}
