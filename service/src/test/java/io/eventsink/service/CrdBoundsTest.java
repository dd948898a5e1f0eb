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
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The operator's CRD must never accept a settings-backed value the service refuses (a pod that
 * crash-loops behind a valid EventSink). Reads the generated CRD as shipped in the chart, and
 * starts the real service with every bound of every field backed by a setting ({@code config.*},
 * {@code queue.messageFormat}, {@code queue.pack.*}): it must come up and store an event. One step
 * past a bound must be refused by the service just as by the schema.
 */
class CrdBoundsTest {

    private static final Path CRD =
            Path.of("..", "charts", "eventsink-operator", "crds", "eventsinks.eventsink.io-v1.yml");
    /** Small enough for the smallest MAX_EVENT_BYTES (256) and the shallowest MAX_JSON_DEPTH (2). */
    private static final String EVENT = Events.heartbeat("bounds", 1);

    record Bound(String crdPath, String env, String value, boolean valid) {
        @Override
        public String toString() {
            return crdPath + "=" + value + (valid ? "" : " (refused)");
        }
    }

    /** The schema of {@code spec} in the chart's CRD. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> specSchema() throws IOException {
        Map<String, Object> crd;
        try (InputStream in = Files.newInputStream(CRD)) {
            crd = new Yaml().load(in);
        }
        Map<String, Object> version =
                ((List<Map<String, Object>>) ((Map<String, Object>) crd.get("spec")).get("versions")).getFirst();
        Map<String, Object> schema =
                (Map<String, Object>) ((Map<String, Object>) version.get("schema")).get("openAPIV3Schema");
        return (Map<String, Object>) ((Map<String, Object>) schema.get("properties")).get("spec");
    }

    /** The schema of the field at {@code crdPath} (e.g. queue.pack.maxBytes), or null. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> field(Map<String, Object> spec, String crdPath) {
        Map<String, Object> node = spec;
        for (String name : crdPath.split("\\.")) {
            Map<String, Object> properties = node == null ? null : (Map<String, Object>) node.get("properties");
            node = properties == null ? null : (Map<String, Object>) properties.get(name);
        }
        return node;
    }

    /** The names under {@code spec.config}: each must be a catalogue setting. */
    @SuppressWarnings("unchecked")
    static Set<String> configFields() throws IOException {
        return ((Map<String, Object>) field(specSchema(), "config").get("properties")).keySet();
    }

    static Stream<Bound> bounds() throws IOException {
        Map<String, Object> spec = specSchema();
        List<Bound> out = new ArrayList<>();
        for (Setting setting : ServiceSettings.inCrd()) {
            Map<String, Object> schema = field(spec, setting.crdPath());
            if (schema == null) {
                continue; // everyCatalogueFieldIsInTheCrd says which
            }
            String path = setting.crdPath();
            if (schema.containsKey("minimum")) {
                long min = ((Number) schema.get("minimum")).longValue();
                long max = ((Number) schema.get("maximum")).longValue();
                long step = schema.get("multipleOf") instanceof Number n ? n.longValue() : 1;
                out.add(new Bound(path, setting.env(), Long.toString(min), true));
                out.add(new Bound(path, setting.env(), Long.toString(max), true));
                out.add(new Bound(path, setting.env(), Long.toString(min - 1), false));
                out.add(new Bound(path, setting.env(), Long.toString(max + 1), false));
                if (step > 1) {
                    out.add(new Bound(path, setting.env(), Long.toString(min + step / 2), false));
                }
            } else if ("boolean".equals(schema.get("type"))) {
                out.add(new Bound(path, setting.env(), "true", true));
                out.add(new Bound(path, setting.env(), "false", true));
            } else if (schema.get("enum") instanceof List<?> values) {
                values.forEach(v -> out.add(new Bound(path, setting.env(), String.valueOf(v), true)));
                out.add(new Bound(path, setting.env(), "not-" + values.getFirst(), false));
            } else if (schema.get("pattern") instanceof String pattern && pattern.matches("\\^\\([A-Z|]+\\)\\$")) {
                for (String value : pattern.substring(2, pattern.length() - 2).split("\\|")) {
                    out.add(new Bound(path, setting.env(), value, true));
                }
            } else if (schema.get("default") instanceof String def) {
                out.add(new Bound(path, setting.env(), def, true));
            }
        }
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
    void everyCatalogueFieldIsInTheCrdAndCovered() throws IOException {
        Map<String, Object> spec = specSchema();
        assertThat(ServiceSettings.inCrd())
                .as("settings whose field is missing from the CRD")
                .allSatisfy(s ->
                        assertThat(field(spec, s.crdPath())).as(s.crdPath()).isNotNull());
        assertThat(configFields())
                .as("spec.config fields are catalogue settings")
                .allSatisfy(f ->
                        assertThat(ServiceSettings.byCrdPath("config." + f)).isPresent());
        assertThat(bounds().map(Bound::crdPath).distinct().count())
                .as("every field except the free-form list gets a bound")
                .isEqualTo(ServiceSettings.inCrd().size() - 1);
    }
}
