package io.eventsink.operator.crd.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.List;
import java.util.Map;

/**
 * Desired state of an EventSink; one class per section in this package. Every field is optional. Each default is
 * one constant, used by the schema ({@code @Default}, applied by the API server) and by
 * {@link io.eventsink.operator.model.EventSinkModel#fromCrd} (the operator must not rely on server-side defaulting
 * having happened). The API server enforces this schema; the operator checks only what it cannot say.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EventSinkSpec {
    public static final String IMAGE_DEFAULT = "ghcr.io/eventsink/eventsink-service:0.1.0";
    public static final String IMAGE_PULL_POLICY_DEFAULT = "IfNotPresent";
    public static final int REPLICAS_DEFAULT = 2;

    @JsonPropertyDescription("Service container image.")
    @Default(IMAGE_DEFAULT)
    public String image;

    @JsonPropertyDescription("Image pull policy: Always, IfNotPresent or Never.")
    @Default(IMAGE_PULL_POLICY_DEFAULT)
    public ImagePullPolicy imagePullPolicy;

    @JsonPropertyDescription("Names of image pull secrets in the same namespace.")
    public List<String> imagePullSecrets;

    @JsonPropertyDescription("Fixed replica count, used only when autoscaling.enabled is false.")
    @SpecReplicas
    @Min(0)
    @Max(100)
    @Default("" + REPLICAS_DEFAULT)
    public Integer replicas;

    @JsonPropertyDescription("Container resources. Default: requests cpu 100m / memory 256Mi, limit memory 512Mi.")
    public ResourceRequirements resources;

    @JsonPropertyDescription(
            "Extra environment variables for the service container (cannot override the ones the operator sets).")
    public List<EnvVar> env;

    public Map<String, String> nodeSelector;
    public List<Toleration> tolerations;
    public Affinity affinity;

    @JsonPropertyDescription("Extra annotations on the pods.")
    public Map<String, String> podAnnotations;

    @JsonPropertyDescription("Extra labels on the pods.")
    public Map<String, String> podLabels;

    /**
     * Service settings by field name ({@code maxBodyBytes: 131072}). Their schema is written from the settings
     * catalogue at build time ({@link io.eventsink.operator.crd.schema.SettingsSchema}), so they need no Java field.
     */
    @JsonPropertyDescription("Service settings, mapped to the service's environment variables.")
    public Map<String, Object> config;

    public AutoscalingSpec autoscaling;

    public QueueSpec queue;

    public ServiceAccountSpec serviceAccount;

    public IngressSpec ingress;

    public PodDisruptionBudgetSpec podDisruptionBudget;

    public MonitoringSpec monitoring;
}
