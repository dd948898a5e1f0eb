package io.eventsink.operator.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventsink.operator.crd.EventSinkSpec;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The rules of the generated CRD's schema, enforced by the operator itself: the very schema the API server holds
 * (read from the jar), so that the two cannot drift. Needed where the schema is not enforced: an API server without
 * CEL validation, a resource stored before a rule existed, a client that bypasses validation.
 * <p>
 * Before checking, the schema's defaults are applied as the API server does (inside objects that are present), so
 * that rules over defaulted fields see what the API server's rules see. CEL rules ({@code x-kubernetes-validations})
 * cannot be interpreted without a CEL engine; each one is implemented in {@link #CEL} and loading fails if the schema
 * holds a rule without an implementation.
 */
public final class SchemaRules {
    public static final String CRD_RESOURCE = "/META-INF/fabric8/eventsinks.eventsink.io-v1.yml";

    /** Each CEL rule of the schema, as Java: the problem with {@code self} (defaults applied), or empty. */
    static final Map<String, Function<JsonNode, Optional<String>>> CEL = Map.of(
            EventSinkSpec.Autoscaling.BOUNDS_RULE,
            self -> {
                boolean off = self.has("enabled") && !self.get("enabled").asBoolean();
                if (off || !self.has("minReplicas") || !self.has("maxReplicas")) {
                    return Optional.empty();
                }
                int min = self.get("minReplicas").asInt();
                int max = self.get("maxReplicas").asInt();
                return min <= max
                        ? Optional.empty()
                        : Optional.of(
                                "autoscaling.minReplicas (" + min + ") must not exceed maxReplicas (" + max + ")");
            },
            EventSinkSpec.Queue.EXCLUSIVE_RULE,
            self -> self.has("existingUrl") && self.has("name")
                    ? Optional.of("queue.existingUrl and queue.name are mutually exclusive")
                    : Optional.empty(),
            EventSinkSpec.ServiceAccount.EXCLUSIVE_RULE,
            self -> self.has("name") && self.has("iamRoleArn")
                    ? Optional.of("serviceAccount.name (existing account) and serviceAccount.iamRoleArn are"
                            + " mutually exclusive")
                    : Optional.empty());

    private static final JSONSchemaProps SPEC = loadSpecSchema();

    private SchemaRules() {}

    /** The openAPIV3Schema of {@code spec} in the generated CRD. */
    public static JSONSchemaProps specSchema() {
        return SPEC;
    }

    /** Every schema rule the spec breaks, with the field's path; empty when the API server would accept it. */
    public static List<String> check(EventSinkSpec spec) {
        JsonNode node = Serialization.jsonMapper().valueToTree(spec);
        applyDefaults(SPEC, node);
        List<String> errors = new ArrayList<>();
        check(SPEC, node, "", errors);
        return errors;
    }

    /** The API server's defaulting: missing properties with a default, inside objects that are present. */
    static void applyDefaults(JSONSchemaProps schema, JsonNode node) {
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

    private static void check(JSONSchemaProps schema, JsonNode value, String path, List<String> errors) {
        if (schema == null || value == null || value.isNull()) {
            return;
        }
        if (value.isObject()) {
            if (schema.getRequired() != null) {
                for (String r : schema.getRequired()) {
                    if (!value.has(r)) {
                        errors.add(join(path, r) + " is required");
                    }
                }
            }
            if (schema.getProperties() != null) {
                schema.getProperties().forEach((name, prop) -> check(prop, value.get(name), join(path, name), errors));
            }
            if (schema.getAdditionalProperties() != null
                    && schema.getAdditionalProperties().getSchema() != null) {
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    var e = it.next();
                    if (schema.getProperties() == null
                            || !schema.getProperties().containsKey(e.getKey())) {
                        check(
                                schema.getAdditionalProperties().getSchema(),
                                e.getValue(),
                                join(path, e.getKey()),
                                errors);
                    }
                }
            }
            if (schema.getXKubernetesValidations() != null) {
                for (ValidationRule rule : schema.getXKubernetesValidations()) {
                    CEL.get(rule.getRule()).apply(value).ifPresent(errors::add);
                }
            }
        } else if (value.isArray()) {
            int size = value.size();
            if (schema.getMinItems() != null && size < schema.getMinItems()) {
                errors.add(path + " must have at least " + schema.getMinItems() + " items");
            }
            if (schema.getMaxItems() != null && size > schema.getMaxItems()) {
                errors.add(path + " must have at most " + schema.getMaxItems() + " items");
            }
            if (schema.getItems() != null) {
                for (int i = 0; i < size; i++) {
                    check(schema.getItems().getSchema(), value.get(i), path + "[" + i + "]", errors);
                }
            }
        } else if (value.isNumber()) {
            double n = value.asDouble();
            String shown = value.asText();
            if (schema.getMinimum() != null
                    && (n < schema.getMinimum()
                            || (Boolean.TRUE.equals(schema.getExclusiveMinimum()) && n == schema.getMinimum()))) {
                errors.add(path + " must be at least " + number(schema.getMinimum()) + ", not " + shown);
            }
            if (schema.getMaximum() != null
                    && (n > schema.getMaximum()
                            || (Boolean.TRUE.equals(schema.getExclusiveMaximum()) && n == schema.getMaximum()))) {
                errors.add(path + " must be at most " + number(schema.getMaximum()) + ", not " + shown);
            }
            checkEnum(schema, value, path, errors);
        } else if (value.isTextual()) {
            String s = value.asText();
            if (schema.getMinLength() != null && s.length() < schema.getMinLength()) {
                errors.add(path + " must be at least " + schema.getMinLength() + " characters long");
            }
            if (schema.getMaxLength() != null && s.length() > schema.getMaxLength()) {
                errors.add(path + " must be at most " + schema.getMaxLength() + " characters long");
            }
            // find(), as the API server's ECMA regular expressions: anchors are part of our patterns
            if (schema.getPattern() != null
                    && !Pattern.compile(schema.getPattern()).matcher(s).find()) {
                errors.add(path + " must match " + schema.getPattern());
            }
            checkEnum(schema, value, path, errors);
        }
    }

    private static void checkEnum(JSONSchemaProps schema, JsonNode value, String path, List<String> errors) {
        if (schema.getEnum() != null
                && !schema.getEnum().isEmpty()
                && !schema.getEnum().contains(value)) {
            errors.add(path + " must be one of " + schema.getEnum());
        }
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static String number(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static JSONSchemaProps loadSpecSchema() {
        try (InputStream in = SchemaRules.class.getResourceAsStream(CRD_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        CRD_RESOURCE + " is missing: the build generates it from the CRD types");
            }
            CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
            JSONSchemaProps spec = crd.getSpec()
                    .getVersions()
                    .get(0)
                    .getSchema()
                    .getOpenAPIV3Schema()
                    .getProperties()
                    .get("spec");
            Set<String> missing = new TreeSet<>(celRules(spec));
            missing.removeAll(CEL.keySet());
            if (!missing.isEmpty()) {
                throw new IllegalStateException("CEL rules without an operator check in SchemaRules.CEL: " + missing);
            }
            return spec;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every x-kubernetes-validations rule anywhere under {@code schema}. */
    public static Set<String> celRules(JSONSchemaProps schema) {
        Set<String> rules = new TreeSet<>();
        collect(schema, rules);
        return rules;
    }

    private static void collect(JSONSchemaProps schema, Set<String> rules) {
        if (schema == null) {
            return;
        }
        if (schema.getXKubernetesValidations() != null) {
            schema.getXKubernetesValidations().forEach(r -> rules.add(r.getRule()));
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(p -> collect(p, rules));
        }
        if (schema.getItems() != null) {
            collect(schema.getItems().getSchema(), rules);
        }
        if (schema.getAdditionalProperties() != null) {
            collect(schema.getAdditionalProperties().getSchema(), rules);
        }
    }
}
