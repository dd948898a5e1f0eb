package io.eventsink.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.crd.EventSinkSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The operator rejects what the CRD schema rejects: for every rule in the generated schema (minimum, maximum,
 * pattern, enum, lengths, item counts, required fields, CEL rules) a spec that breaks exactly that rule is generated
 * and must be reported by {@link SpecValidator} under the field's path. A rule added to the schema without the
 * operator enforcing it fails here; so does a CEL rule without a counterexample below.
 */
class SchemaParityTest {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final List<String> NON_MATCHING = List.of("", " ", "!", "x y", "UPPER", "-", "0", "http", "/");

    /** A spec breaking each CEL rule of the schema (and nothing else). */
    private static final Map<String, Consumer<EventSinkSpec>> CEL_COUNTEREXAMPLES = Map.of(
            EventSinkSpec.Autoscaling.BOUNDS_RULE,
            s -> {
                s.autoscaling = new EventSinkSpec.Autoscaling();
                s.autoscaling.minReplicas = 5;
                s.autoscaling.maxReplicas = 4;
            },
            EventSinkSpec.Queue.EXCLUSIVE_RULE,
            s -> {
                s.queue = new EventSinkSpec.Queue();
                s.queue.existingUrl = "https://sqs.eu-west-1.amazonaws.com/1/q";
                s.queue.name = "q";
            },
            EventSinkSpec.ServiceAccount.EXCLUSIVE_RULE,
            s -> {
                s.serviceAccount = new EventSinkSpec.ServiceAccount();
                s.serviceAccount.name = "team";
                s.serviceAccount.iamRoleArn = "arn:aws:iam::123456789012:role/x";
            });

    /** One schema rule and a spec field value that breaks it. */
    record Violation(String path, String rule, JsonNode spec) {}

    @TestFactory
    List<DynamicTest> everySchemaRuleIsEnforcedByTheOperator() {
        List<Violation> violations = new ArrayList<>();
        walk(SchemaRules.specSchema(), new ArrayList<>(), violations);
        assertThat(violations).as("rules found in the schema").hasSizeGreaterThan(40);
        return violations.stream()
                .map(v -> DynamicTest.dynamicTest(v.path() + " " + v.rule(), () -> {
                    EventSink es = sink(Serialization.jsonMapper().treeToValue(v.spec(), EventSinkSpec.class));
                    assertThat(SpecValidator.validate(es))
                            .as("spec %s", v.spec())
                            .anySatisfy(e -> assertThat(e).startsWith(v.path()));
                }))
                .toList();
    }

    @Test
    void everyCelRuleHasAnOperatorCheckAndACounterexample() {
        var rules = SchemaRules.celRules(SchemaRules.specSchema());
        assertThat(SchemaRules.CEL.keySet()).containsExactlyInAnyOrderElementsOf(rules);
        assertThat(CEL_COUNTEREXAMPLES.keySet()).containsExactlyInAnyOrderElementsOf(rules);
        CEL_COUNTEREXAMPLES.forEach((rule, example) -> {
            EventSinkSpec spec = new EventSinkSpec();
            example.accept(spec);
            assertThat(SpecValidator.validate(sink(spec))).as(rule).hasSize(1);
        });
    }

    /** fromCrd of an empty spec equals fromCrd of the spec as the API server would default it: one set of defaults. */
    @Test
    void operatorDefaultsAreTheSchemaDefaults() throws Exception {
        ObjectNode everyObject = emptyObjects(EventSinkSpec.class);
        SchemaRules.applyDefaults(SchemaRules.specSchema(), everyObject);
        EventSinkSpec defaulted = Serialization.jsonMapper().treeToValue(everyObject, EventSinkSpec.class);
        assertThat(EventSinkModel.fromCrd(sink(defaulted)))
                .isEqualTo(EventSinkModel.fromCrd(sink(new EventSinkSpec())));
        assertThat(SpecValidator.validate(sink(defaulted))).isEmpty();
    }

    // --- generation

    private static void walk(JSONSchemaProps schema, List<Object> path, List<Violation> out) {
        if (schema == null || Boolean.TRUE.equals(schema.getXKubernetesIntOrString())) {
            return;
        }
        String type = schema.getType();
        if ("object".equals(type) && schema.getProperties() != null) {
            if (schema.getRequired() != null) {
                for (String r : schema.getRequired()) {
                    out.add(new Violation(render(path, r), "required", place(path, JSON.objectNode())));
                }
            }
            schema.getProperties().forEach((name, prop) -> {
                List<Object> p = new ArrayList<>(path);
                p.add(name);
                walk(prop, p, out);
            });
        } else if ("array".equals(type)) {
            if (schema.getMaxItems() != null) {
                ArrayNode a = JSON.arrayNode();
                for (long i = 0; i <= schema.getMaxItems(); i++) {
                    a.add(JSON.objectNode());
                }
                out.add(new Violation(render(path, null), "maxItems", place(path, a)));
            }
            if (schema.getItems() != null) {
                List<Object> p = new ArrayList<>(path);
                p.add(0);
                walk(schema.getItems().getSchema(), p, out);
            }
        } else if ("integer".equals(type) || "number".equals(type)) {
            if (schema.getMinimum() != null) {
                out.add(new Violation(
                        render(path, null), "minimum", place(path, JSON.numberNode((long) (schema.getMinimum() - 1)))));
            }
            if (schema.getMaximum() != null) {
                out.add(new Violation(
                        render(path, null), "maximum", place(path, JSON.numberNode((long) (schema.getMaximum() + 1)))));
            }
        } else if ("string".equals(type)) {
            if (schema.getPattern() != null) {
                Pattern p = Pattern.compile(schema.getPattern());
                String bad = NON_MATCHING.stream()
                        .filter(s -> !p.matcher(s).find())
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no non-matching sample for " + schema.getPattern()));
                out.add(new Violation(render(path, null), "pattern", place(path, JSON.textNode(bad))));
            }
            if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
                out.add(new Violation(render(path, null), "enum", place(path, JSON.textNode("not-in-the-enum"))));
            }
            if (schema.getMaxLength() != null) {
                out.add(new Violation(
                        render(path, null),
                        "maxLength",
                        place(path, JSON.textNode("a".repeat((int) (long) schema.getMaxLength() + 1)))));
            }
        }
    }

    /** A spec with {@code value} at {@code path} (objects and one-element arrays created on the way). */
    private static JsonNode place(List<Object> path, JsonNode value) {
        ObjectNode root = JSON.objectNode();
        JsonNode current = root;
        for (int i = 0; i < path.size(); i++) {
            Object seg = path.get(i);
            boolean last = i == path.size() - 1;
            JsonNode next = last ? value : path.get(i + 1) instanceof Integer ? JSON.arrayNode() : JSON.objectNode();
            if (seg instanceof String name) {
                ((ObjectNode) current).set(name, next);
            } else {
                ((ArrayNode) current).add(next);
            }
            current = next;
        }
        return root;
    }

    private static String render(List<Object> path, String child) {
        StringBuilder sb = new StringBuilder();
        for (Object seg : path) {
            if (seg instanceof Integer i) {
                sb.append('[').append(i).append(']');
            } else {
                sb.append(sb.isEmpty() ? "" : ".").append(seg);
            }
        }
        if (child != null) {
            sb.append(sb.isEmpty() ? "" : ".").append(child);
        }
        return sb.toString();
    }

    /** Every object of our own CRD types present and empty (embedded Kubernetes types left out). */
    private static ObjectNode emptyObjects(Class<?> type) {
        ObjectNode node = JSON.objectNode();
        for (Field f : type.getFields()) {
            if (!Modifier.isStatic(f.getModifiers())
                    && f.getType().getPackageName().equals(EventSinkSpec.class.getPackageName())) {
                node.set(f.getName(), emptyObjects(f.getType()));
            }
        }
        return node;
    }

    private static EventSink sink(EventSinkSpec spec) {
        EventSink es = new EventSink();
        es.setMetadata(new ObjectMetaBuilder()
                .withNamespace("ns")
                .withName("sink")
                .withUid("uid-sink")
                .build());
        es.setSpec(spec);
        return es;
    }
}
