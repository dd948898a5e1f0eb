package io.eventsink.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventsink.operator.crd.spec.ConfigSpec;
import io.eventsink.settings.ServiceSettings;
import io.eventsink.settings.Setting;
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

    /** Every field of spec.config, set to a value other than its default, reaches the env var the catalogue names. */
    @Test
    void everyCatalogueSettingIsMappedFromItsField() {
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        for (Setting setting : ServiceSettings.inCrd()) {
            Object value = switch (setting.type()) {
                case INTEGER -> (int) setting.min() + 1;
                case BOOLEAN -> !Boolean.parseBoolean(setting.defaultValue());
                case LIST -> List.of("https://a.example", "https://b.example");
                case REGEX -> "^[a-z]{1,8}$";
                case TEXT -> "WARN";
            };
            fields.put(setting.crdField(), value);
            expected.put(
                    setting.env(),
                    value instanceof List<?> l
                            ? String.join(",", l.stream().map(String::valueOf).toList())
                            : String.valueOf(value));
        }
        var config =
                io.fabric8.kubernetes.client.utils.Serialization.jsonMapper().convertValue(fields, ConfigSpec.class);
        assertThat(io.fabric8.kubernetes.client.utils.Serialization.jsonMapper().convertValue(config, Map.class))
                .as("every catalogue field exists in the CRD's Config")
                .containsOnlyKeys(fields.keySet());
        var cm = ConfigMapModel.build(Fixtures.model(s -> s.config = config));
        assertThat(cm.getData()).containsAllEntriesOf(expected);
    }

    @Test
    void everyServiceSettingIsMapped() {
        var cm = ConfigMapModel.build(Fixtures.model(s -> {
            s.config = new ConfigSpec();
            s.config.corsAllowedOrigins = List.of("https://a.example", "https://b.example");
            s.config.heartbeatIntervalMs = 10000;
            s.config.maxBodyBytes = 131072;
            s.config.maxPendingEvents = 50000;
            s.config.batchLingerMs = 5;
            s.config.maxInflightBatches = 64;
            s.config.deliveryTimeoutMs = 3000;
            s.config.shutdownTimeoutMs = 40000;
            s.config.logLevel = "DEBUG";
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
