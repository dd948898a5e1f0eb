package io.eventsink.operator.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The schema of {@code spec} in the CRD the build generated, and the API server's defaulting over it. */
public final class SpecSchema {
    public static final Path GENERATED_CRD = Path.of("target/classes/META-INF/fabric8/eventsinks.eventsink.io-v1.yml");

    private SpecSchema() {}

    public static JSONSchemaProps load() {
        try {
            CustomResourceDefinition crd =
                    Serialization.unmarshal(Files.readString(GENERATED_CRD), CustomResourceDefinition.class);
            return crd.getSpec()
                    .getVersions()
                    .getFirst()
                    .getSchema()
                    .getOpenAPIV3Schema()
                    .getProperties()
                    .get("spec");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As the API server defaults: missing properties with a default, inside objects that are present. */
    public static void applyDefaults(JSONSchemaProps schema, JsonNode node) {
        if (node instanceof ObjectNode object && schema.getProperties() != null) {
            schema.getProperties().forEach((name, prop) -> {
                if (!object.has(name) && prop.getDefault() != null) {
                    object.set(name, prop.getDefault().deepCopy());
                }
                if (object.has(name)) {
                    applyDefaults(prop, object.get(name));
                }
            });
        } else if (node != null && node.isArray() && schema.getItems() != null) {
            node.forEach(item -> applyDefaults(schema.getItems().getSchema(), item));
        }
    }
}
