package io.eventsink.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventsink.operator.crd.EventSinkSpec;
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
            s.autoscaling = new EventSinkSpec.Autoscaling();
            s.autoscaling.minReplicas = 5;
            s.autoscaling.maxReplicas = 2;
            s.queue = new EventSinkSpec.Queue();
            s.queue.existingUrl = "https://sqs.eu-west-1.amazonaws.com/1/q";
            s.queue.name = "q";
            s.queue.deletionPolicy = "Delete";
            s.queue.encryption = new EventSinkSpec.Encryption();
            s.queue.encryption.type = "KMS";
            s.queue.tags = Map.of("eventsink.io/owner", "x");
            s.serviceAccount = new EventSinkSpec.ServiceAccount();
            s.serviceAccount.name = "sa";
            s.serviceAccount.iamRoleArn = "arn:aws:iam::123456789012:role/x";
            s.ingress = new EventSinkSpec.Ingress();
            s.ingress.enabled = true;
            s.env = List.of(new EnvVar("SQS_QUEUE_URL", "https://elsewhere", null));
        });
        assertThat(SpecValidator.validate(es))
                .containsExactlyInAnyOrder(
                        "autoscaling.minReplicas (5) must not exceed maxReplicas (2)",
                        "queue.existingUrl and queue.name are mutually exclusive",
                        "queue.deletionPolicy Delete is not allowed with queue.existingUrl (the team owns that queue)",
                        "queue.encryption.kmsKeyId is required when queue.encryption.type is KMS",
                        "queue.tags keys starting with eventsink.io/ are reserved for the operator",
                        "serviceAccount.name (existing account) and serviceAccount.iamRoleArn are mutually exclusive",
                        "ingress.host is required when ingress.enabled is true",
                        "env SQS_QUEUE_URL is set by the operator and cannot be overridden");
    }

    @Test
    void replicaBoundsOnlyMatterWithAutoscaling() {
        var es = Fixtures.sink(s -> {
            s.autoscaling = new EventSinkSpec.Autoscaling();
            s.autoscaling.enabled = false;
            s.autoscaling.minReplicas = 5;
            s.autoscaling.maxReplicas = 2;
        });
        assertThat(SpecValidator.validate(es)).isEmpty();
    }

    @Test
    void nameMustBeUsableAsServiceName() {
        var es = Fixtures.minimal();
        es.setMetadata(
                new ObjectMetaBuilder().withNamespace("ns").withName("1-sink").build());
        assertThat(SpecValidator.validate(es)).singleElement().asString().contains("DNS-1035");
    }
}
