package io.eventsink.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventsink.operator.crd.spec.EventSinkSpec;
import io.eventsink.settings.ServiceSettings;
import io.eventsink.settings.Setting;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigMapModelTest {

    @Test
    void defaultsMatchTheServiceContract() {
        var cm = ConfigMapModel.build(Fixtures.minimalModel());
        assertThat(cm.getMetadata().getName()).isEqualTo("sink-config");
        Map<String, String> expected = new java.util.TreeMap<>();
        // every spec.config setting the catalogue has a default for, with that default
        for (Setting setting : ServiceSettings.inCrd()) {
            if (setting.defaultValue() != null) {
                expected.put(setting.env(), setting.defaultValue());
            }
        }
        expected.putAll(Map.of(
                "PORT", "3000",
                "MANAGEMENT_PORT", "9090",
                "HOST", "0.0.0.0",
                "QUEUE_TYPE", "SQS",
                "SHUTDOWN_DELAY_MS", "5000"));
        assertThat(cm.getData()).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(cm.getData())
                .containsEntry("HEARTBEAT_INTERVAL", "5000")
                .containsEntry("MAX_BODY_BYTES", "262144")
                .containsEntry("MAX_JSON_DEPTH", "32")
                .containsEntry("CMCD_ENABLED", "true")
                .containsEntry("SHUTDOWN_TIMEOUT_MS", "25000")
                .containsEntry("LOG_LEVEL", "INFO")
                .doesNotContainKey("CORS_ALLOWED_ORIGINS");
    }

    /**
     * Every settings-backed field of the spec, set to a value other than its default, survives the Java types and
     * reaches the env var the catalogue names.
     */
    @Test
    void everyCatalogueSettingIsMappedFromItsField() throws Exception {
        ObjectNode spec = JsonNodeFactory.instance.objectNode();
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        for (Setting setting : ServiceSettings.inCrd()) {
            JsonNode value = switch (setting.type()) {
                case INTEGER -> JsonNodeFactory.instance.numberNode(Math.toIntExact(setting.max()));
                case BOOLEAN -> JsonNodeFactory.instance.booleanNode(!Boolean.parseBoolean(setting.defaultValue()));
                case LIST ->
                    JsonNodeFactory.instance
                            .arrayNode()
                            .add("https://a.example")
                            .add("https://b.example");
                case REGEX -> JsonNodeFactory.instance.textNode("^[a-z]{1,8}$");
                case TEXT -> JsonNodeFactory.instance.textNode("WARN");
                case CHOICE ->
                    JsonNodeFactory.instance.textNode(setting.choices().getLast());
            };
            assertThat(setting.problem(value.isArray() ? "x" : value.asText()))
                    .as(setting.env())
                    .isEmpty();
            assertThat(value.asText()).as(setting.env()).isNotEqualTo(setting.defaultValue());
            String[] path = setting.crdPath().split("\\.");
            ObjectNode parent = spec;
            for (int i = 0; i < path.length - 1; i++) {
                parent = parent.has(path[i]) ? (ObjectNode) parent.get(path[i]) : parent.putObject(path[i]);
            }
            parent.set(path[path.length - 1], value);
            expected.put(setting.env(), value.isArray() ? "https://a.example,https://b.example" : value.asText());
        }
        EventSinkSpec typed = Serialization.jsonMapper().treeToValue(spec, EventSinkSpec.class);
        assertThat((JsonNode) Serialization.jsonMapper().valueToTree(typed))
                .as("every settings-backed field is kept by the CRD's Java types")
                .isEqualTo(spec);
        var cm = ConfigMapModel.build(Fixtures.model(s -> {
            s.config = typed.config;
            s.queue = typed.queue;
        }));
        assertThat(cm.getData()).containsAllEntriesOf(expected);
    }

    @Test
    void everyServiceSettingIsMapped() {
        var cm = ConfigMapModel.build(Fixtures.model(s -> {
            s.config = Map.of(
                    "corsAllowedOrigins",
                    List.of("https://a.example", "https://b.example"),
                    "heartbeatIntervalMs",
                    10000,
                    "maxBodyBytes",
                    131072,
                    "maxPendingEvents",
                    50000,
                    "batchLingerMs",
                    5,
                    "maxInflightBatches",
                    64,
                    "deliveryTimeoutMs",
                    3000,
                    "shutdownTimeoutMs",
                    40000,
                    "logLevel",
                    "DEBUG");
        }));
        assertThat(cm.getData())
                .containsEntry("CORS_ALLOWED_ORIGINS", "https://a.example,https://b.example")
                .containsEntry("HEARTBEAT_INTERVAL", "10000")
                .containsEntry("MAX_BODY_BYTES", "131072")
                .containsEntry("MAX_PENDING_EVENTS", "50000")
                .containsEntry("BATCH_LINGER_MS", "5")
                .containsEntry("MAX_INFLIGHT_BATCHES", "64")
                .containsEntry("DELIVERY_TIMEOUT_MS", "3000")
                .containsEntry("SHUTDOWN_TIMEOUT_MS", "40000")
                .containsEntry("LOG_LEVEL", "DEBUG")
                .containsEntry("SHUTDOWN_DELAY_MS", "5000");
    }

    @Test
    void hashIsOrderIndependentAndSensitiveToValues() {
        assertThat(ConfigMapModel.hash(Map.of("A", "1", "B", "2")))
                .isEqualTo(ConfigMapModel.hash(new java.util.TreeMap<>(Map.of("B", "2", "A", "1"))))
                .isNotEqualTo(ConfigMapModel.hash(Map.of("A", "1", "B", "3")));
        // key/value boundaries matter: A=1B vs A1=B
        assertThat(ConfigMapModel.hash(Map.of("A", "1B"))).isNotEqualTo(ConfigMapModel.hash(Map.of("A1", "B")));
    }
}
