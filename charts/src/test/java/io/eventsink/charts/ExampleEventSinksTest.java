package io.eventsink.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The example EventSinks in operator/examples/ validate against the CRD's openAPIV3Schema, with networknt's
 * json-schema-validator and its OpenAPI 3.0 dialect. Two schemas are used: the CRD's own, and a strict
 * copy in which objects that declare properties reject undeclared ones (the API server would silently
 * prune such fields, so an example containing one documents a setting that does nothing). CEL rules
 * (x-kubernetes-validations) are evaluated by the API server only and are not checked here.
 */
class ExampleEventSinksTest {

    static final Path EXAMPLES = Path.of(System.getProperty(
                    "eventsink.examplesDir",
                    Charts.repoRoot().resolve("operator").resolve("examples").toString()))
            .toAbsolutePath()
            .normalize();
    private static final ObjectMapper YAML = Charts.yamlMapper();

    private static JsonSchema schema;
    private static JsonSchema strictSchema;
    private static String apiVersion;

    @BeforeAll
    static void loadSchema() {
        CustomResourceDefinition crd = OperatorCrdTest.chartCrd();
        CustomResourceDefinitionVersion version = crd.getSpec().getVersions().stream()
                .filter(CustomResourceDefinitionVersion::getStorage)
                .findFirst()
                .orElseThrow();
        apiVersion = crd.getSpec().getGroup() + "/" + version.getName();
        JsonNode openApi = new ObjectMapper().valueToTree(version.getSchema().getOpenAPIV3Schema());
        JsonMetaSchema dialect = OpenApi30.getInstance();
        JsonSchemaFactory factory = JsonSchemaFactory.builder()
                .metaSchema(dialect)
                .defaultMetaSchemaIri(dialect.getIri())
                .build();
        SchemaValidatorsConfig config =
                SchemaValidatorsConfig.builder().nullableKeywordEnabled(true).build();
        schema = factory.getSchema(openApi, config);
        // apiVersion, kind and metadata are handled by the API server itself: only spec is closed.
        JsonNode strict = openApi.deepCopy();
        closeObjects(strict.path("properties").path("spec"));
        strictSchema = factory.getSchema(strict, config);
    }

    /** additionalProperties: false on every object schema that lists properties and keeps no unknown fields. */
    static JsonNode closeObjects(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("properties")
                    && !object.has("additionalProperties")
                    && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                object.put("additionalProperties", false);
            }
            object.properties().forEach(e -> closeObjects(e.getValue()));
        } else if (node != null && node.isArray()) {
            node.forEach(ExampleEventSinksTest::closeObjects);
        }
        return node;
    }

    static List<Path> exampleFiles() {
        assertThat(EXAMPLES)
                .as("operator/examples/ is missing: the example EventSinks are written by the operator work")
                .isDirectory();
        try (Stream<Path> files = Files.walk(EXAMPLES)) {
            return files.filter(
                            p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every EventSink document in operator/examples/, keyed by "file#index". */
    static Map<String, JsonNode> exampleEventSinks() {
        Map<String, JsonNode> sinks = new java.util.LinkedHashMap<>();
        for (Path file : exampleFiles()) {
            try (var parser = YAML.getFactory().createParser(file.toFile())) {
                Iterator<JsonNode> docs = YAML.readValues(parser, JsonNode.class);
                int index = 0;
                while (docs.hasNext()) {
                    JsonNode doc = docs.next();
                    if (doc != null && "EventSink".equals(doc.path("kind").asText())) {
                        sinks.put(EXAMPLES.relativize(file) + "#" + index, doc);
                    }
                    index++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sinks;
    }

    @Test
    void thereAreExampleEventSinks() {
        assertThat(exampleEventSinks())
                .as("EventSink documents in %s", EXAMPLES)
                .isNotEmpty();
    }

    @TestFactory
    Stream<DynamicTest> everyExampleValidatesAgainstTheCrdSchema() {
        return exampleEventSinks().entrySet().stream()
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
                    JsonNode sink = e.getValue();
                    assertThat(sink.path("apiVersion").asText())
                            .as("apiVersion")
                            .isEqualTo(apiVersion);
                    assertThat(sink.path("metadata").path("name").asText())
                            .as("metadata.name")
                            .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
                    assertThat(sink.has("status"))
                            .as("examples carry no status")
                            .isFalse();
                    assertThat(messages(schema.validate(sink)))
                            .as("schema errors")
                            .isEmpty();
                    assertThat(messages(strictSchema.validate(sink)))
                            .as("fields the API server would prune")
                            .isEmpty();
                }));
    }

    @Test
    void theValidatorCatchesWrongTypesAndUnknownFields() {
        // Independent of operator/examples/: a minimal EventSink built here.
        ObjectNode valid = YAML.createObjectNode();
        valid.put("apiVersion", apiVersion).put("kind", "EventSink");
        valid.putObject("metadata").put("name", "minimal");
        valid.putObject("spec").put("replicas", 2);
        assertThat(messages(schema.validate(valid))).isEmpty();
        assertThat(messages(strictSchema.validate(valid))).isEmpty();

        ObjectNode wrongType = valid.deepCopy();
        ((ObjectNode) wrongType.get("spec")).put("replicas", "three");
        assertThat(messages(schema.validate(wrongType))).anyMatch(m -> m.contains("replicas"));

        ObjectNode unknownField = valid.deepCopy();
        ((ObjectNode) unknownField.get("spec")).put("replicaz", 3);
        assertThat(messages(schema.validate(unknownField)))
                .as("the CRD schema itself prunes, it does not reject")
                .isEmpty();
        assertThat(messages(strictSchema.validate(unknownField))).anyMatch(m -> m.contains("replicaz"));
    }

    private static List<String> messages(Set<ValidationMessage> result) {
        List<String> messages = new ArrayList<>();
        result.forEach(m -> messages.add(m.getMessage()));
        return messages;
    }
}
