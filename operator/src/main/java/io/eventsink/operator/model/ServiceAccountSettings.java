package io.eventsink.operator.model;

import static io.eventsink.operator.model.Resolve.sorted;

import io.eventsink.operator.crd.spec.ServiceAccountSpec;
import java.util.Map;
import java.util.Objects;

/**
 * {@code spec.serviceAccount} resolved.
 *
 * @param existingName a ServiceAccount the team provides (none is created), or null
 */
public record ServiceAccountSettings(String existingName, String iamRoleArn, Map<String, String> annotations) {

    static ServiceAccountSettings from(ServiceAccountSpec spec) {
        var sa = Objects.requireNonNullElseGet(spec, ServiceAccountSpec::new);
        return new ServiceAccountSettings(sa.name, sa.iamRoleArn, sorted(sa.annotations));
    }
}
