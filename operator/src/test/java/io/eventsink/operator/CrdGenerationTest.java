package io.eventsink.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The CRD is generated from the Java types and copied into the chart by the build: check both. */
class CrdGenerationTest {
    static final Path CHART_CRD = Path.of("../charts/eventsink-operator/crds/eventsinks.eventsink.io-v1.yml");

    @Test
    void chartCarriesExactlyTheGeneratedCrd() throws Exception {
        assertThat(CHART_CRD).exists();
        assertThat(Files.readString(CHART_CRD)).isEqualTo(Files.readString(TestSupport.GENERATED_CRD));
    }

    @Test
    void namesSubresourcesColumnsAndValidation() throws Exception {
        CustomResourceDefinition crd =
                Serialization.unmarshal(Files.readString(TestSupport.GENERATED_CRD), CustomResourceDefinition.class);
        assertThat(crd.getMetadata().getName()).isEqualTo("eventsinks.eventsink.io");
        assertThat(crd.getSpec().getGroup()).isEqualTo("eventsink.io");
        assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
        assertThat(crd.getSpec().getNames().getKind()).isEqualTo("EventSink");
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("es");
        var v = crd.getSpec().getVersions().get(0);
        assertThat(v.getName()).isEqualTo("v1alpha1");
        assertThat(v.getServed()).isTrue();
        assertThat(v.getStorage()).isTrue();
        assertThat(v.getSubresources().getStatus()).isNotNull();
        assertThat(v.getSubresources().getScale().getSpecReplicasPath()).isEqualTo(".spec.replicas");
        assertThat(v.getSubresources().getScale().getStatusReplicasPath()).isEqualTo(".status.replicas");
        assertThat(v.getAdditionalPrinterColumns())
                .extracting(c -> c.getName())
                .containsExactlyInAnyOrder("Ready", "Replicas", "Queue", "Age");

        JSONSchemaProps spec =
                v.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
        JSONSchemaProps queue = spec.getProperties().get("queue");
        assertThat(queue.getProperties().get("deletionPolicy").getDefault().asText())
                .isEqualTo("Retain");
        assertThat(queue.getProperties().get("deletionPolicy").getEnum())
                .extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("Retain", "Delete");
        assertThat(spec.getProperties().get("imagePullPolicy").getEnum())
                .extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("Always", "IfNotPresent", "Never");
        // the derived queue name is shortened to what the "-dlq" suffix still fits into (SQS: 80)
        assertThat(queue.getProperties().get("name").getPattern()).isEqualTo("^[A-Za-z0-9_-]{1,76}$");
        assertThat(queue.getProperties().get("name").getDescription()).contains("shortened to 76 characters");
        assertThat(queue.getProperties().get("visibilityTimeoutSeconds").getMaximum())
                .isEqualTo(43200.0);
        assertThat(queue.getXKubernetesValidations()).isNotEmpty();
        JSONSchemaProps autoscaling = spec.getProperties().get("autoscaling");
        assertThat(autoscaling.getProperties().get("minReplicas").getMinimum()).isEqualTo(1.0);
        assertThat(autoscaling.getXKubernetesValidations().get(0).getRule())
                .contains("minReplicas <= self.maxReplicas");
        assertThat(spec.getProperties().get("image").getDefault().asText())
                .isEqualTo("ghcr.io/eventsink/eventsink-service:0.1.0");
        assertThat(spec.getProperties()
                        .get("config")
                        .getProperties()
                        .get("logLevel")
                        .getPattern())
                .contains("DEBUG");
    }
}
