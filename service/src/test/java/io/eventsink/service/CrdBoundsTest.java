package io.eventsink.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventsink.service.delivery.StdoutBatchWriter;
import io.eventsink.settings.ServiceSettings;
import io.eventsink.settings.Setting;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The operator's CRD must never accept a {@code spec.config} value the service refuses (a pod that
 * crash-loops behind a valid EventSink). Reads the generated CRD as shipped in the chart, and
 * starts the real service with every bound of every {@code config.*} field: it must come up and
 * store an event. One step past a bound must be refused by the service just as by the schema.
 */
class CrdBoundsTest {

    private static final Path CRD =
            Path.of("..", "charts", "eventsink-operator", "crds", "eventsinks.eventsink.io-v1.yml");
    /** Small enough for the smallest MAX_EVENT_BYTES (256) and the shallowest MAX_JSON_DEPTH (2). */
    private static final String EVENT = Events.heartbeat("bounds", 1);

    record Bound(String crdField, String env, String value, boolean valid) {
        @Override
        public String toString() {
            return "config." + crdField + "=" + value + (valid ? "" : " (refused)");
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> configProperties() throws IOException {
        Map<String, Object> crd;
        try (InputStream in = Files.newInputStream(CRD)) {
            crd = new Yaml().load(in);
        }
        Map<String, Object> version =
                ((List<Map<String, Object>>) ((Map<String, Object>) crd.get("spec")).get("versions")).getFirst();
        Map<String, Object> schema =
                (Map<String, Object>) ((Map<String, Object>) version.get("schema")).get("openAPIV3Schema");
        Map<String, Object> spec = (Map<String, Object>) ((Map<String, Object>) schema.get("properties")).get("spec");
        Map<String, Object> config = (Map<String, Object>) ((Map<String, Object>) spec.get("properties")).get("config");
        return (Map<String, Map<String, Object>>) config.get("properties");
    }

    static Stream<Bound> bounds() throws IOException {
        List<Bound> out = new ArrayList<>();
        configProperties().forEach((field, schema) -> {
            Setting setting = ServiceSettings.byCrdField(field)
                    .orElseThrow(() -> new AssertionError("config." + field + " has no service setting"));
            if (schema.containsKey("minimum")) {
                long min = ((Number) schema.get("minimum")).longValue();
                long max = ((Number) schema.get("maximum")).longValue();
                out.add(new Bound(field, setting.env(), Long.toString(min), true));
                out.add(new Bound(field, setting.env(), Long.toString(max), true));
                out.add(new Bound(field, setting.env(), Long.toString(min - 1), false));
                out.add(new Bound(field, setting.env(), Long.toString(max + 1), false));
            } else if ("boolean".equals(schema.get("type"))) {
                out.add(new Bound(field, setting.env(), "true", true));
                out.add(new Bound(field, setting.env(), "false", true));
            } else if (schema.get("pattern") instanceof String pattern && pattern.matches("\\^\\([A-Z|]+\\)\\$")) {
                for (String value : pattern.substring(2, pattern.length() - 2).split("\\|")) {
                    out.add(new Bound(field, setting.env(), value, true));
                }
            } else if (schema.get("default") instanceof String def) {
                out.add(new Bound(field, setting.env(), def, true));
            }
        });
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("bounds")
    void theServiceStartsWithEveryValueTheCrdAccepts(Bound bound) {
        Map<String, String> env = Map.of(bound.env(), bound.value());
        if (!bound.valid()) {
            assertThatThrownBy(() -> RunningSink.settings(env)).hasMessageContaining(bound.env());
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (RunningSink sink = RunningSink.with(new StdoutBatchWriter(out), env)) {
            assertThat(sink.management("health/ready").statusCode()).isEqualTo(200);
            assertThat(sink.post(EVENT).statusCode()).isEqualTo(200);
        }
        assertThat(out.toString()).contains("\"sessionId\":\"bounds\"");
    }

    @org.junit.jupiter.api.Test
    void everyCrdConfigFieldIsCovered() throws IOException {
        assertThat(configProperties().keySet())
                .containsExactlyInAnyOrderElementsOf(
                        ServiceSettings.inCrd().stream().map(Setting::crdField).toList());
        assertThat(bounds().map(Bound::crdField).distinct().count())
                .as("every field except the free-form list gets a bound")
                .isEqualTo(configProperties().size() - 1);
    }
}
