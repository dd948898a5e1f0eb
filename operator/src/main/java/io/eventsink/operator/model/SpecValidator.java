package io.eventsink.operator.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.crd.spec.DeletionPolicy;
import io.eventsink.operator.crd.spec.EncryptionSpec;
import io.eventsink.operator.crd.spec.EncryptionType;
import io.eventsink.operator.crd.spec.EventSinkSpec;
import io.eventsink.operator.crd.spec.QueueSpec;
import io.eventsink.settings.ServiceSettings;
import io.eventsink.settings.Setting;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Whether an EventSink can be acted on, by the rules its CRD schema and CEL rules cannot say (the API server
 * enforces those): the resource name as a Service name, fields that only make sense together, names and tags the
 * operator reserves, label syntax, a regular expression that must compile. A failing spec gets an InvalidSpec
 * condition and is not retried until it changes.
 */
public final class SpecValidator {
    /** The name prefixes other object names ({@code NAME-config}) and must be a Service name. */
    static final int MAX_NAME_LENGTH = 56;

    private static final Pattern DNS_1035 = Pattern.compile("^[a-z]([-a-z0-9]*[a-z0-9])?$");
    private static final Pattern LABEL_NAME = Pattern.compile("^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$");
    private static final Pattern LABEL_PREFIX =
            Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");

    private SpecValidator() {}

    public static List<String> validate(EventSink es) {
        List<String> errors = new ArrayList<>();
        EventSinkSpec spec = es.getSpec();
        if (spec == null) {
            errors.add("spec is missing");
            return errors;
        }
        String name = es.getMetadata().getName();
        if (name == null || !DNS_1035.matcher(name).matches() || name.length() > MAX_NAME_LENGTH) {
            errors.add("metadata.name must be a DNS-1035 label of at most " + MAX_NAME_LENGTH
                    + " characters (it names the Service)");
        }
        checkQueue(spec.queue, errors);
        if (spec.ingress != null
                && Boolean.TRUE.equals(spec.ingress.enabled)
                && (spec.ingress.host == null || spec.ingress.host.isBlank())) {
            errors.add("ingress.host is required when ingress.enabled is true");
        }
        if (spec.env != null) {
            spec.env.stream()
                    .map(EnvVar::getName)
                    .filter(Objects::nonNull)
                    .filter(DeploymentModel.RESERVED_ENV::contains)
                    .distinct()
                    .forEach(n -> errors.add("env " + n + " is set by the operator and cannot be overridden"));
        }
        checkRegularExpressions(spec, errors);
        checkLabels("podLabels", spec.podLabels, errors);
        checkLabels("monitoring.labels", spec.monitoring == null ? null : spec.monitoring.labels, errors);
        return errors;
    }

    private static void checkQueue(QueueSpec q, List<String> errors) {
        if (q == null) {
            return;
        }
        if (q.existingUrl != null && q.deletionPolicy == DeletionPolicy.DELETE) {
            errors.add("queue.deletionPolicy Delete is not allowed with queue.existingUrl (the team owns that queue)");
        }
        EncryptionSpec enc = q.encryption;
        if (enc != null && enc.type == EncryptionType.KMS && (enc.kmsKeyId == null || enc.kmsKeyId.isBlank())) {
            errors.add("queue.encryption.kmsKeyId is required when queue.encryption.type is KMS");
        }
        if (enc != null && enc.type != EncryptionType.KMS && enc.kmsKeyId != null) {
            errors.add("queue.encryption.kmsKeyId is only used with queue.encryption.type KMS");
        }
        if (q.tags != null && q.tags.keySet().stream().anyMatch(k -> k.startsWith("eventsink.io/"))) {
            errors.add("queue.tags keys starting with eventsink.io/ are reserved for the operator");
        }
    }

    /** A schema can require a string, not that it compiles as a regular expression: the catalogue's check. */
    private static void checkRegularExpressions(EventSinkSpec spec, List<String> errors) {
        JsonNode tree = Serialization.jsonMapper().valueToTree(spec);
        for (Setting s : ServiceSettings.inCrd()) {
            if (s.type() == Setting.Type.REGEX) {
                ServiceConfig.value(tree, s).flatMap(s::problem).ifPresent(p -> errors.add(s.crdPath() + ": " + p));
            }
        }
    }

    /** Label syntax, so that a bad label is reported here rather than by the API server on every retry. */
    private static void checkLabels(String field, Map<String, String> labels, List<String> errors) {
        if (labels == null) {
            return;
        }
        labels.forEach((k, v) -> {
            int slash = k.indexOf('/');
            String prefix = slash < 0 ? null : k.substring(0, slash);
            String key = slash < 0 ? k : k.substring(slash + 1);
            boolean keyOk = LABEL_NAME.matcher(key).matches()
                    && (prefix == null
                            || (prefix.length() <= 253
                                    && LABEL_PREFIX.matcher(prefix).matches()));
            if (!keyOk) {
                errors.add(field + " key '" + k + "' is not a valid label key");
            }
            if (v == null || !(v.isEmpty() || LABEL_NAME.matcher(v).matches())) {
                errors.add(field + "." + k + " value is not a valid label value");
            }
        });
    }
}
