package io.eventsink.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void defaultsComeFromTheSettingsCatalogue() {
        Settings s = Settings.load(Config.create(), Map.of());
        assertThat(s.port()).isEqualTo(3000);
        assertThat(s.managementPort()).isEqualTo(9090);
        assertThat(s.maxBodyBytes()).isEqualTo(262_144);
        assertThat(s.maxEventBytes()).isEqualTo(65_536);
        assertThat(s.maxBatchEvents()).isEqualTo(500);
        assertThat(s.shardIdPattern().pattern()).isEqualTo("^[A-Za-z0-9_-]{1,64}$");
        assertThat(s.cmcdEnabled()).isTrue();
        assertThat(s.requestHeadTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.heartbeatIntervalMs()).isEqualTo(5000);
        assertThat(s.corsAllowedOrigins()).isEmpty();
        assertThat(s.deliveryTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void environmentWinsOverYaml() {
        Config yaml = Config.just(
                ConfigSources.create(Map.of("eventsink.port", "4000", "eventsink.heartbeat-interval", "1500")));
        Settings s = Settings.load(
                yaml,
                Map.of(
                        "PORT",
                        "5000",
                        "CORS_ALLOWED_ORIGINS",
                        " https://a , ,https://b",
                        "QUEUE_TYPE",
                        "sqs",
                        "SQS_QUEUE_URL",
                        "https://sqs.eu-north-1.amazonaws.com/1/q",
                        "QUEUE_REGION",
                        "eu-north-1"));
        assertThat(s.port()).isEqualTo(5000);
        assertThat(s.heartbeatIntervalMs()).isEqualTo(1500);
        assertThat(s.corsAllowedOrigins()).isEqualTo(List.of("https://a", "https://b"));
        assertThat(s.queueType()).isEqualTo(Settings.QueueType.SQS);
        assertThat(s.region()).hasValue("eu-north-1");
        assertThat(Settings.load(yaml, Map.of("AWS_REGION", "us-west-2", "QUEUE_REGION", "x"))
                        .region())
                .hasValue("us-west-2");
    }

    @Test
    void mistakesAreExplainedByName() {
        Config yaml = Config.create();
        assertThatThrownBy(() -> Settings.load(yaml, Map.of("PORT", "http")))
                .hasMessageContaining("PORT must be a whole number");
        assertThatThrownBy(() -> Settings.load(yaml, Map.of("QUEUE_TYPE", "kafka")))
                .hasMessageContaining("QUEUE_TYPE must match");
        assertThatThrownBy(() -> Settings.load(yaml, Map.of("LOG_LEVEL", "LOUD")))
                .hasMessageContaining("LOG_LEVEL must match");
        assertThatThrownBy(() -> Settings.load(yaml, Map.of("SHARD_ID_PATTERN", "[")))
                .hasMessageContaining("SHARD_ID_PATTERN is not a valid regular expression");
        assertThatThrownBy(() -> Settings.load(yaml, Map.of("QUEUE_TYPE", "SQS")))
                .hasMessageContaining("needs SQS_QUEUE_URL");
        assertThatThrownBy(() -> Settings.load(yaml, Map.of("MAX_BODY_BYTES", "10")))
                .hasMessageContaining("MAX_BODY_BYTES must be between");
        assertThatThrownBy(() -> Settings.load(yaml, Map.of("PORT", "9090"))).hasMessageContaining("must differ");
        // a setting this version does not use is still checked: the CRD must not accept what a later one refuses
        assertThatThrownBy(() -> Settings.load(yaml, Map.of("WARMUP_TIMEOUT_MS", "0")))
                .hasMessageContaining("WARMUP_TIMEOUT_MS must be between 1000 and 120000");
    }
}
