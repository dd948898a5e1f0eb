package io.eventsink.operator.crd.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventsink.settings.ServiceSettings;
import io.eventsink.settings.Setting;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The schema of settings-backed fields, written from the catalogue by the build. */
class SettingsSchemaTest {
    static final Path GENERATED_CRD = Path.of("target/classes/META-INF/fabric8/eventsinks.eventsink.io-v1.yml");

    static JsonNode specSchema() throws Exception {
        JsonNode crd = Serialization.unmarshal(Files.readString(GENERATED_CRD), JsonNode.class);
        return crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
    }

    static JsonNode field(JsonNode specSchema, String crdPath) {
        JsonNode node = specSchema;
        for (String name : crdPath.split("\\.")) {
            node = node.path("properties").path(name);
        }
        return node;
    }

    @Test
    void everySettingsBackedFieldOfTheGeneratedCrdIsTheCataloguesSchema() throws Exception {
        JsonNode spec = specSchema();
        for (Setting s : ServiceSettings.inCrd()) {
            // as JSON text: the numbers read back from YAML are int nodes, the catalogue's are long nodes
            assertThat(field(spec, s.crdPath()).toString())
                    .as(s.crdPath())
                    .isEqualTo(SettingsSchema.of(s).toString());
        }
        assertThat(spec.path("properties").path("config").has("additionalProperties"))
                .as("spec.config takes the catalogue's fields only")
                .isFalse();
        assertThat(spec.path("properties").path("config").path("properties").size())
                .isEqualTo(ServiceSettings.inCrd().stream()
                        .filter(s -> s.crdPath().startsWith("config."))
                        .count());
    }

    @Test
    void eachKindOfSettingGetsItsSchema() {
        assertThat(SettingsSchema.of(ServiceSettings.SQS_PACK_MAX_BYTES).toString())
                .isEqualTo(json("{\"default\":65536,\"description\":\""
                                + ServiceSettings.SQS_PACK_MAX_BYTES.description()
                                + "\",\"maximum\":1048576,\"minimum\":65536,\"multipleOf\":65536,\"type\":\"integer\"}")
                        .toString());
        assertThat(SettingsSchema.of(ServiceSettings.SQS_MESSAGE_FORMAT).path("enum"))
                .isEqualTo(json("[\"event\",\"packed\"]"));
        assertThat(SettingsSchema.of(ServiceSettings.LOG_LEVEL).path("pattern").asText())
                .isEqualTo("^(TRACE|DEBUG|INFO|WARN|ERROR)$");
        assertThat(SettingsSchema.of(ServiceSettings.CORS_ALLOWED_ORIGINS).path("items"))
                .isEqualTo(json("{\"type\":\"string\"}"));
        assertThat(SettingsSchema.of(ServiceSettings.CORS_ALLOWED_ORIGINS).has("default"))
                .isFalse();
        assertThat(SettingsSchema.of(ServiceSettings.CMCD_ENABLED)
                        .path("default")
                        .isBoolean())
                .isTrue();
    }

    /** A field outside spec.config must exist in the Java types with the same JSON type, or the value is lost. */
    @Test
    void aSettingWithoutAMatchingJavaFieldFailsTheBuild() {
        ObjectNode missing = (ObjectNode)
                json(
                        "{\"properties\":{\"config\":{\"type\":\"object\","
                                + "\"additionalProperties\":{\"x-kubernetes-preserve-unknown-fields\":true}},"
                                + "\"queue\":{\"type\":\"object\",\"properties\":{\"pack\":{\"type\":\"object\",\"properties\":{}}}}}}");
        assertThatThrownBy(() -> SettingsSchema.apply(missing))
                .hasMessageContaining("the CRD types have no field spec.queue.");

        ObjectNode wrongType = (ObjectNode) json("{\"properties\":{\"config\":{\"type\":\"object\","
                + "\"additionalProperties\":{\"x-kubernetes-preserve-unknown-fields\":true}},"
                + "\"queue\":{\"type\":\"object\",\"properties\":{\"messageFormat\":{\"type\":\"integer\"},"
                + "\"pack\":{\"type\":\"object\",\"properties\":{\"maxBytes\":{\"type\":\"integer\"},"
                + "\"lingerMs\":{\"type\":\"integer\"},\"compression\":{\"type\":\"string\"}}}}}}}");
        assertThatThrownBy(() -> SettingsSchema.apply(wrongType))
                .hasMessageContaining("spec.queue.messageFormat is declared as integer, the setting needs string");
    }

    @Test
    void wholeNumbersAreWrittenAsIntegers() {
        String finished = CrdFinisher.finish("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
                + "spec:\n  versions:\n  - name: v1\n    schema:\n      openAPIV3Schema:\n        properties:\n"
                + "          spec:\n            properties:\n              config:\n                type: object\n"
                + "                additionalProperties:\n                  x-kubernetes-preserve-unknown-fields: true\n"
                + "              queue:\n                type: object\n                properties:\n"
                + "                  messageFormat:\n                    type: string\n"
                + "                  pack:\n                    type: object\n                    properties:\n"
                + "                      maxBytes: {type: integer}\n                      lingerMs: {type: integer}\n"
                + "                      compression: {type: string}\n"
                + "              replicas:\n                type: integer\n                maximum: 1.048576E7\n"
                + "                minimum: 0.0\n");
        assertThat(finished)
                .contains("maximum: 10485760\n")
                .contains("minimum: 0\n")
                .doesNotContain("E7")
                .doesNotContain(".0\n")
                .startsWith(CrdFinisher.HEADER)
                .doesNotContain("---");
    }

    private static JsonNode json(String text) {
        return Serialization.unmarshal(text, JsonNode.class);
    }
}
