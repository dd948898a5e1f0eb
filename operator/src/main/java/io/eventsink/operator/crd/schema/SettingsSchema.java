package io.eventsink.operator.crd.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventsink.settings.ServiceSettings;
import io.eventsink.settings.Setting;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The CRD schema of every spec field backed by a service setting ({@link Setting#crdPath()}), written from the
 * settings catalogue: type, bounds, multiple, default, pattern or choices, description. So the schema accepts what
 * the service starts with, and a new setting needs no annotated field: under {@code spec.config} (a map in the Java
 * types) the fields are created here; elsewhere the Java type must declare the field (the operator reads it) with
 * the same JSON type.
 */
public final class SettingsSchema {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private SettingsSchema() {}

    /** Writes the schema of every settings-backed field into {@code specSchema} (the schema of {@code spec}). */
    public static void apply(ObjectNode specSchema) {
        Set<JsonNode> opened = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Setting s : ServiceSettings.inCrd()) {
            String[] path = s.crdPath().split("\\.");
            ObjectNode parent = specSchema;
            for (int i = 0; i < path.length - 1; i++) {
                parent = objectField(parent, path[i], s, opened);
            }
            ObjectNode properties = properties(parent, s, opened);
            String name = path[path.length - 1];
            ObjectNode schema = of(s);
            JsonNode declared = properties.get(name);
            if (!opened.contains(parent)) {
                // a field of a Java class: it must exist (else Jackson drops the value) and hold the same JSON type
                if (declared == null) {
                    throw new IllegalStateException(s.env() + ": the CRD types have no field spec." + s.crdPath());
                }
                if (!declared.path("type").equals(schema.get("type"))) {
                    throw new IllegalStateException(s.env() + ": spec." + s.crdPath() + " is declared as "
                            + declared.path("type").asText() + ", the setting needs "
                            + schema.get("type").asText());
                }
            }
            properties.set(name, schema);
            sortKeys(properties);
        }
    }

    /** The schema of one setting's field, keys in the generator's (alphabetical) order. */
    public static ObjectNode of(Setting s) {
        Map<String, JsonNode> keys = new TreeMap<>();
        keys.put("description", JSON.textNode(s.description()));
        switch (s.type()) {
            case INTEGER -> {
                keys.put("type", JSON.textNode("integer"));
                keys.put("minimum", JSON.numberNode(s.min()));
                keys.put("maximum", JSON.numberNode(s.max()));
                if (s.step() > 1) {
                    keys.put("multipleOf", JSON.numberNode(s.step()));
                }
            }
            case BOOLEAN -> keys.put("type", JSON.textNode("boolean"));
            case TEXT -> {
                keys.put("type", JSON.textNode("string"));
                if (s.pattern() != null) {
                    keys.put("pattern", JSON.textNode(s.pattern()));
                }
            }
            case CHOICE -> {
                keys.put("type", JSON.textNode("string"));
                var values = JSON.arrayNode();
                s.choices().forEach(values::add);
                keys.put("enum", values);
            }
            case LIST -> {
                keys.put("type", JSON.textNode("array"));
                keys.put("items", JSON.objectNode().put("type", "string"));
            }
            case REGEX -> keys.put("type", JSON.textNode("string"));
        }
        if (s.defaultValue() != null) {
            keys.put(
                    "default",
                    switch (s.type()) {
                        case INTEGER -> JSON.numberNode(Long.parseLong(s.defaultValue()));
                        case BOOLEAN -> JSON.booleanNode(Boolean.parseBoolean(s.defaultValue()));
                        default -> JSON.textNode(s.defaultValue());
                    });
        }
        ObjectNode schema = JSON.objectNode();
        keys.forEach(schema::set);
        return schema;
    }

    /** The object schema of field {@code name} under {@code parent}. */
    private static ObjectNode objectField(ObjectNode parent, String name, Setting s, Set<JsonNode> opened) {
        JsonNode child = properties(parent, s, opened).get(name);
        if (!(child instanceof ObjectNode object)
                || !"object".equals(object.path("type").asText())) {
            throw new IllegalStateException(
                    s.env() + ": spec." + s.crdPath() + " needs an object field '" + name + "' in the CRD types");
        }
        return object;
    }

    /** The properties of an object schema; a map's schema (a Java map) is opened: it gets properties instead. */
    private static ObjectNode properties(ObjectNode object, Setting s, Set<JsonNode> opened) {
        if (object.has("properties")) {
            return (ObjectNode) object.get("properties");
        }
        if (!object.has("additionalProperties") && !object.has("x-kubernetes-preserve-unknown-fields")) {
            throw new IllegalStateException(s.env() + ": spec." + s.crdPath() + " is under a field without properties");
        }
        object.remove(List.of("additionalProperties", "x-kubernetes-preserve-unknown-fields"));
        ObjectNode properties = JSON.objectNode();
        object.set("properties", properties);
        sortKeys(object);
        opened.add(object);
        return properties;
    }

    private static void sortKeys(ObjectNode object) {
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(object.properties());
        entries.sort(Map.Entry.comparingByKey());
        object.removeAll();
        entries.forEach(e -> object.set(e.getKey(), e.getValue()));
    }
}
