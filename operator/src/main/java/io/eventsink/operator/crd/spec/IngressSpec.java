package io.eventsink.operator.crd.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import java.util.Map;

/** {@code spec.ingress}: an optional Ingress to the Service's http port. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IngressSpec {
    public static final boolean ENABLED_DEFAULT = false;
    public static final String PATH_DEFAULT = "/";

    @Default("" + ENABLED_DEFAULT)
    public Boolean enabled;

    public String className;

    @Pattern("^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    public String host;

    @Pattern("^/.*$")
    @Default(PATH_DEFAULT)
    public String path;

    @JsonPropertyDescription("Secret holding the TLS certificate for host.")
    public String tlsSecretName;

    public Map<String, String> annotations;
}
