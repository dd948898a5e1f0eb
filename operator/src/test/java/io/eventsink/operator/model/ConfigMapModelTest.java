package io.eventsink.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventsink.operator.crd.EventSinkSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigMapModelTest {

    @Test
    void defaultsMatchTheServiceContract() {
        var cm = ConfigMapModel.build(Fixtures.minimal());
        assertThat(cm.getMetadata().getName()).isEqualTo("sink-config");
        assertThat(cm.getData())
                .containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                        Map.entry("PORT", "3000"),
                        Map.entry("MANAGEMENT_PORT", "9090"),
                        Map.entry("HOST", "0.0.0.0"),
                        Map.entry("QUEUE_TYPE", "SQS"),
                        Map.entry("HEARTBEAT_INTERVAL", "5000"),
                        Map.entry("MAX_BODY_BYTES", "262144"),
                        Map.entry("MAX_PENDING_EVENTS", "10000"),
                        Map.entry("BATCH_LINGER_MS", "2"),
                        Map.entry("MAX_INFLIGHT_BATCHES", "32"),
                        Map.entry("DELIVERY_TIMEOUT_MS", "5000"),
                        Map.entry("SHUTDOWN_DELAY_MS", "5000"),
                        Map.entry("SHUTDOWN_TIMEOUT_MS", "25000"),
                        Map.entry("LOG_LEVEL", "INFO")));
    }

    @Test
    void everyServiceSettingIsMapped() {
        var cm = ConfigMapModel.build(Fixtures.sink(s -> {
            s.config = new EventSinkSpec.Config();
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
