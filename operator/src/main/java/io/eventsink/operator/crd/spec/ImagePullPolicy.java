package io.eventsink.operator.crd.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** When the kubelet pulls the service image (the container's {@code imagePullPolicy}). */
public enum ImagePullPolicy {
    @JsonProperty("Always")
    ALWAYS("Always"),
    @JsonProperty("IfNotPresent")
    IF_NOT_PRESENT("IfNotPresent"),
    @JsonProperty("Never")
    NEVER("Never");

    private final String value;

    ImagePullPolicy(String value) {
        this.value = value;
    }

    /** As Kubernetes spells it. */
    public String value() {
        return value;
    }
}
