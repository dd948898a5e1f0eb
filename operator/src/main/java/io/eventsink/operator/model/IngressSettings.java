package io.eventsink.operator.model;

import static io.eventsink.operator.model.Resolve.or;
import static io.eventsink.operator.model.Resolve.sorted;

import io.eventsink.operator.crd.spec.IngressSpec;
import java.util.Map;
import java.util.Objects;

/** {@code spec.ingress} resolved. */
public record IngressSettings(
        boolean enabled,
        String className,
        String host,
        String path,
        String tlsSecretName,
        Map<String, String> annotations) {

    static IngressSettings from(IngressSpec spec) {
        var in = Objects.requireNonNullElseGet(spec, IngressSpec::new);
        return new IngressSettings(
                or(in.enabled, IngressSpec.ENABLED_DEFAULT),
                in.className,
                in.host,
                or(in.path, IngressSpec.PATH_DEFAULT),
                in.tlsSecretName,
                sorted(in.annotations));
    }
}
