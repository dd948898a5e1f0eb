package io.eventsink.operator.model;

import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.crd.EventSinkSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the schema cannot express (or that an API server without CEL validation lets through). A failing spec
 * gets an InvalidSpec condition and is not retried until it changes.
 */
public final class SpecValidator {
    private static final String DNS_1035 = "^[a-z]([-a-z0-9]*[a-z0-9])?$";

    private SpecValidator() {}

    public static List<String> validate(EventSink es) {
        List<String> errors = new ArrayList<>();
        EventSinkSpec spec = es.getSpec();
        if (spec == null) {
            errors.add("spec is missing");
            return errors;
        }
        String name = es.getMetadata().getName();
        if (!name.matches(DNS_1035) || name.length() > 56) {
            errors.add("metadata.name must be a DNS-1035 label of at most 56 characters (it names the Service)");
        }
        if (Defaults.autoscalingEnabled(spec) && Defaults.minReplicas(spec) > Defaults.maxReplicas(spec)) {
            errors.add("autoscaling.minReplicas (" + Defaults.minReplicas(spec) + ") must not exceed maxReplicas ("
                    + Defaults.maxReplicas(spec) + ")");
        }
        EventSinkSpec.Queue q = spec.queue;
        if (q != null) {
            if (q.existingUrl != null && q.name != null) {
                errors.add("queue.existingUrl and queue.name are mutually exclusive");
            }
            if (q.existingUrl != null && "Delete".equals(q.deletionPolicy)) {
                errors.add(
                        "queue.deletionPolicy Delete is not allowed with queue.existingUrl (the team owns that queue)");
            }
            EventSinkSpec.Encryption enc = q.encryption;
            if (enc != null && "KMS".equals(enc.type) && (enc.kmsKeyId == null || enc.kmsKeyId.isBlank())) {
                errors.add("queue.encryption.kmsKeyId is required when queue.encryption.type is KMS");
            }
            if (enc != null && !"KMS".equals(enc.type) && enc.kmsKeyId != null) {
                errors.add("queue.encryption.kmsKeyId is only used with queue.encryption.type KMS");
            }
            if (q.tags != null && q.tags.keySet().stream().anyMatch(k -> k.startsWith("eventsink.io/"))) {
                errors.add("queue.tags keys starting with eventsink.io/ are reserved for the operator");
            }
        }
        if (spec.serviceAccount != null && spec.serviceAccount.name != null && spec.serviceAccount.iamRoleArn != null) {
            errors.add("serviceAccount.name (existing account) and serviceAccount.iamRoleArn are mutually exclusive");
        }
        if (Defaults.ingressEnabled(spec) && (spec.ingress.host == null || spec.ingress.host.isBlank())) {
            errors.add("ingress.host is required when ingress.enabled is true");
        }
        if (spec.env != null) {
            spec.env.stream()
                    .map(e -> e.getName())
                    .filter(DeploymentModel.RESERVED_ENV::contains)
                    .distinct()
                    .forEach(n -> errors.add("env " + n + " is set by the operator and cannot be overridden"));
        }
        return errors;
    }
}
