package io.eventsink.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.crd.spec.EventSinkSpec;
import io.eventsink.operator.model.SpecSchema;
import io.eventsink.operator.model.SpecValidator;
import io.eventsink.settings.ServiceSettings;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The documented examples parse into the Java model without losing a field and pass validation. */
class ExamplesTest {

    static List<String> documents(String file) throws Exception {
        List<String> docs = new ArrayList<>();
        for (String doc : Files.readString(Path.of("examples", file)).split("(?m)^---\\s*$")) {
            if (doc.contains("kind: EventSink")) {
                docs.add(doc);
            }
        }
        return docs;
    }

    @ParameterizedTest
    @ValueSource(strings = {"eventsink-minimal.yaml", "eventsink-full.yaml"})
    @SuppressWarnings("unchecked")
    void exampleIsCompleteAndValid(String file) throws Exception {
        List<String> docs = documents(file);
        assertThat(docs).isNotEmpty();
        for (String yaml : docs) {
            EventSink es = Serialization.unmarshal(yaml, EventSink.class);
            assertThat(SpecValidator.validate(es)).isEmpty();
            // a misspelt or unknown field would be dropped here
            Map<String, Object> original = Serialization.unmarshal(yaml, Map.class);
            Map<String, Object> roundTrip = Serialization.unmarshal(Serialization.asYaml(es), Map.class);
            assertThat(roundTrip.get("spec")).isEqualTo(original.get("spec"));
        }
    }

    /**
     * eventsink-full.yaml lists every field of the CRD's own types and every settings-backed field (across its
     * documents: some fields exclude others), and its first document shows each default the schema has.
     */
    @Test
    void theFullExampleHasEveryFieldAndEveryDefault() throws Exception {
        List<JsonNode> specs = new ArrayList<>();
        for (String doc : documents("eventsink-full.yaml")) {
            specs.add(Serialization.unmarshal(doc, JsonNode.class).path("spec"));
        }
        Set<String> missing = new TreeSet<>();
        List<String> paths = new ArrayList<>(fieldPaths(EventSinkSpec.class, ""));
        // the settings-backed fields (spec.config is a map in the Java types)
        ServiceSettings.inCrd().forEach(setting -> paths.add(setting.crdPath()));
        for (String path : paths) {
            if (specs.stream().noneMatch(s -> at(s, path) != null)) {
                missing.add(path);
            }
        }
        assertThat(missing).as("fields missing from eventsink-full.yaml").isEmpty();

        List<String> wrongDefaults = new ArrayList<>();
        defaults(SpecSchema.load(), "", (path, value) -> {
            JsonNode shown = at(specs.get(0), path);
            if (shown == null || !shown.asText().equals(value.asText())) {
                wrongDefaults.add(path + " should show its default " + value + ", shows " + shown);
            }
        });
        assertThat(wrongDefaults).isEmpty();
    }

    /** Every field path of our own CRD classes; fields of Kubernetes types are leaves. */
    static List<String> fieldPaths(Class<?> type, String prefix) {
        List<String> out = new ArrayList<>();
        for (Field f : type.getFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            String path = prefix + f.getName();
            if (f.getType().getPackageName().equals(EventSinkSpec.class.getPackageName())
                    && !f.getType().isEnum()) {
                out.addAll(fieldPaths(f.getType(), path + "."));
            } else {
                out.add(path);
            }
        }
        return out;
    }

    private static void defaults(
            JSONSchemaProps schema, String prefix, java.util.function.BiConsumer<String, JsonNode> each) {
        if (schema.getProperties() == null) {
            return;
        }
        schema.getProperties().forEach((name, prop) -> {
            if (prop.getDefault() != null) {
                each.accept(prefix + name, prop.getDefault());
            }
            if ("object".equals(prop.getType())) {
                defaults(prop, prefix + name + ".", each);
            }
        });
    }

    private static JsonNode at(JsonNode node, String path) {
        JsonNode n = node;
        for (String seg : path.split("\\.")) {
            n = n == null ? null : n.get(seg);
        }
        return n == null || n.isMissingNode() || n.isNull() ? null : n;
    }
}
