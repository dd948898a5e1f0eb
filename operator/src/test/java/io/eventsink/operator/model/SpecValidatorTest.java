package io.eventsink.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventsink.operator.crd.spec.DeletionPolicy;
import io.eventsink.operator.crd.spec.EncryptionSpec;
import io.eventsink.operator.crd.spec.EncryptionType;
import io.eventsink.operator.crd.spec.IngressSpec;
import io.eventsink.operator.crd.spec.QueueSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {

    @Test
    void minimalSpecIsValid() {
        assertThat(SpecValidator.validate(Fixtures.minimal())).isEmpty();
    }

    @Test
    void reportsEveryProblemWithAClearMessage() {
        var es = Fixtures.sink(s -> {
            s.queue = new QueueSpec();
            s.queue.existingUrl = "https://sqs.eu-west-1.amazonaws.com/1/q";
            s.queue.deletionPolicy = DeletionPolicy.DELETE;
            s.queue.encryption = new EncryptionSpec();
            s.queue.encryption.type = EncryptionType.KMS;
            s.queue.tags = Map.of("eventsink.io/owner", "x");
            s.ingress = new IngressSpec();
            s.ingress.enabled = true;
            s.env = List.of(new EnvVar("SQS_QUEUE_URL", "https://elsewhere", null));
        });
        assertThat(SpecValidator.validate(es))
                .containsExactlyInAnyOrder(
                        "queue.deletionPolicy Delete is not allowed with queue.existingUrl (the team owns that queue)",
                        "queue.encryption.kmsKeyId is required when queue.encryption.type is KMS",
                        "queue.tags keys starting with eventsink.io/ are reserved for the operator",
                        "ingress.host is required when ingress.enabled is true",
                        "env SQS_QUEUE_URL is set by the operator and cannot be overridden");
    }

    @Test
    void nameMustBeUsableAsServiceName() {
        var es = Fixtures.minimal();
        es.setMetadata(
                new ObjectMetaBuilder().withNamespace("ns").withName("1-sink").build());
        assertThat(SpecValidator.validate(es)).singleElement().asString().contains("DNS-1035");
    }

    @Test
    void labelsAndRegularExpressionsAreChecked() {
        var es = Fixtures.sink(s -> {
            s.podLabels = Map.of("-bad", "ok", "team", "not valid");
            s.config = Map.of("shardIdPattern", "[a-");
            s.queue = new QueueSpec();
            s.queue.encryption = new EncryptionSpec();
            s.queue.encryption.kmsKeyId = "alias/x";
        });
        assertThat(SpecValidator.validate(es))
                .hasSize(4)
                .contains(
                        "podLabels key '-bad' is not a valid label key",
                        "podLabels.team value is not a valid label value",
                        "queue.encryption.kmsKeyId is only used with queue.encryption.type KMS")
                .anyMatch(
                        e -> e.startsWith("config.shardIdPattern: SHARD_ID_PATTERN is not a valid regular expression"));
    }
}
