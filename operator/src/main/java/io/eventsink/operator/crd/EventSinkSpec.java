package io.eventsink.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.eventsink.settings.ServiceSettings;
import io.eventsink.settings.SqsQueueUrls;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.List;
import java.util.Map;

/**
 * Desired state of an EventSink. Every field is optional. Each default is one constant below, used by both the
 * schema ({@code @Default}, applied by the API server) and {@link io.eventsink.operator.model.EventSinkModel#fromCrd}
 * (the operator must not rely on server-side defaulting having happened); service settings take theirs from
 * {@link ServiceSettings}.
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
    @Pattern("^(Always|IfNotPresent|Never)$")
    @Default(IMAGE_PULL_POLICY_DEFAULT)
    public String imagePullPolicy;

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

    @JsonPropertyDescription("Service settings, mapped to the service's environment variables.")
    public Config config;

    public Autoscaling autoscaling;

    public Queue queue;

    public ServiceAccount serviceAccount;

    public Ingress ingress;

    public PodDisruptionBudget podDisruptionBudget;

    public Monitoring monitoring;

    /**
     * Service settings. Every field, its bounds, default and description come from the settings
     * catalogue ({@link ServiceSettings}), which the service itself reads: the schema accepts exactly what the
     * service starts with. Fields map to the environment variables named in the catalogue.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Config {
        @JsonPropertyDescription(ServiceSettings.CORS_ALLOWED_ORIGINS_DOC)
        public List<String> corsAllowedOrigins;

        @JsonPropertyDescription(ServiceSettings.HEARTBEAT_INTERVAL_DOC)
        @Min(ServiceSettings.HEARTBEAT_INTERVAL_MIN)
        @Max(ServiceSettings.HEARTBEAT_INTERVAL_MAX)
        @Default("" + ServiceSettings.HEARTBEAT_INTERVAL_DEFAULT)
        public Integer heartbeatIntervalMs;

        @JsonPropertyDescription(ServiceSettings.MAX_BODY_BYTES_DOC)
        @Min(ServiceSettings.MAX_BODY_BYTES_MIN)
        @Max(ServiceSettings.MAX_BODY_BYTES_MAX)
        @Default("" + ServiceSettings.MAX_BODY_BYTES_DEFAULT)
        public Integer maxBodyBytes;

        @JsonPropertyDescription(ServiceSettings.MAX_EVENT_BYTES_DOC)
        @Min(ServiceSettings.MAX_EVENT_BYTES_MIN)
        @Max(ServiceSettings.MAX_EVENT_BYTES_MAX)
        @Default("" + ServiceSettings.MAX_EVENT_BYTES_DEFAULT)
        public Integer maxEventBytes;

        @JsonPropertyDescription(ServiceSettings.MAX_BATCH_EVENTS_DOC)
        @Min(ServiceSettings.MAX_BATCH_EVENTS_MIN)
        @Max(ServiceSettings.MAX_BATCH_EVENTS_MAX)
        @Default("" + ServiceSettings.MAX_BATCH_EVENTS_DEFAULT)
        public Integer maxBatchEvents;

        @JsonPropertyDescription(ServiceSettings.MAX_JSON_DEPTH_DOC)
        @Min(ServiceSettings.MAX_JSON_DEPTH_MIN)
        @Max(ServiceSettings.MAX_JSON_DEPTH_MAX)
        @Default("" + ServiceSettings.MAX_JSON_DEPTH_DEFAULT)
        public Integer maxJsonDepth;

        @JsonPropertyDescription(ServiceSettings.SHARD_ID_PATTERN_DOC)
        @Default(ServiceSettings.SHARD_ID_PATTERN_DEFAULT)
        public String shardIdPattern;

        @JsonPropertyDescription(ServiceSettings.CMCD_ENABLED_DOC)
        @Default("" + ServiceSettings.CMCD_ENABLED_DEFAULT)
        public Boolean cmcdEnabled;

        @JsonPropertyDescription(ServiceSettings.MAX_CONCURRENT_REQUESTS_DOC)
        @Min(ServiceSettings.MAX_CONCURRENT_REQUESTS_MIN)
        @Max(ServiceSettings.MAX_CONCURRENT_REQUESTS_MAX)
        @Default("" + ServiceSettings.MAX_CONCURRENT_REQUESTS_DEFAULT)
        public Integer maxConcurrentRequests;

        @JsonPropertyDescription(ServiceSettings.MAX_CONNECTIONS_DOC)
        @Min(ServiceSettings.MAX_CONNECTIONS_MIN)
        @Max(ServiceSettings.MAX_CONNECTIONS_MAX)
        @Default("" + ServiceSettings.MAX_CONNECTIONS_DEFAULT)
        public Integer maxConnections;

        @JsonPropertyDescription(ServiceSettings.REQUEST_HEAD_TIMEOUT_MS_DOC)
        @Min(ServiceSettings.REQUEST_HEAD_TIMEOUT_MS_MIN)
        @Max(ServiceSettings.REQUEST_HEAD_TIMEOUT_MS_MAX)
        @Default("" + ServiceSettings.REQUEST_HEAD_TIMEOUT_MS_DEFAULT)
        public Integer requestHeadTimeoutMs;

        @JsonPropertyDescription(ServiceSettings.REQUEST_BODY_TIMEOUT_MS_DOC)
        @Min(ServiceSettings.REQUEST_BODY_TIMEOUT_MS_MIN)
        @Max(ServiceSettings.REQUEST_BODY_TIMEOUT_MS_MAX)
        @Default("" + ServiceSettings.REQUEST_BODY_TIMEOUT_MS_DEFAULT)
        public Integer requestBodyTimeoutMs;

        @JsonPropertyDescription(ServiceSettings.RESPONSE_SEND_TIMEOUT_MS_DOC)
        @Min(ServiceSettings.RESPONSE_SEND_TIMEOUT_MS_MIN)
        @Max(ServiceSettings.RESPONSE_SEND_TIMEOUT_MS_MAX)
        @Default("" + ServiceSettings.RESPONSE_SEND_TIMEOUT_MS_DEFAULT)
        public Integer responseSendTimeoutMs;

        @JsonPropertyDescription(ServiceSettings.IDLE_CONNECTION_TIMEOUT_MS_DOC)
        @Min(ServiceSettings.IDLE_CONNECTION_TIMEOUT_MS_MIN)
        @Max(ServiceSettings.IDLE_CONNECTION_TIMEOUT_MS_MAX)
        @Default("" + ServiceSettings.IDLE_CONNECTION_TIMEOUT_MS_DEFAULT)
        public Integer idleConnectionTimeoutMs;

        @JsonPropertyDescription(ServiceSettings.MAX_PENDING_EVENTS_DOC)
        @Min(ServiceSettings.MAX_PENDING_EVENTS_MIN)
        @Max(ServiceSettings.MAX_PENDING_EVENTS_MAX)
        @Default("" + ServiceSettings.MAX_PENDING_EVENTS_DEFAULT)
        public Integer maxPendingEvents;

        @JsonPropertyDescription(ServiceSettings.BATCH_LINGER_MS_DOC)
        @Min(ServiceSettings.BATCH_LINGER_MS_MIN)
        @Max(ServiceSettings.BATCH_LINGER_MS_MAX)
        @Default("" + ServiceSettings.BATCH_LINGER_MS_DEFAULT)
        public Integer batchLingerMs;

        @JsonPropertyDescription(ServiceSettings.MAX_INFLIGHT_BATCHES_DOC)
        @Min(ServiceSettings.MAX_INFLIGHT_BATCHES_MIN)
        @Max(ServiceSettings.MAX_INFLIGHT_BATCHES_MAX)
        @Default("" + ServiceSettings.MAX_INFLIGHT_BATCHES_DEFAULT)
        public Integer maxInflightBatches;

        @JsonPropertyDescription(ServiceSettings.DELIVERY_TIMEOUT_MS_DOC)
        @Min(ServiceSettings.DELIVERY_TIMEOUT_MS_MIN)
        @Max(ServiceSettings.DELIVERY_TIMEOUT_MS_MAX)
        @Default("" + ServiceSettings.DELIVERY_TIMEOUT_MS_DEFAULT)
        public Integer deliveryTimeoutMs;

        @JsonPropertyDescription(ServiceSettings.SHUTDOWN_TIMEOUT_MS_DOC)
        @Min(ServiceSettings.SHUTDOWN_TIMEOUT_MS_MIN)
        @Max(ServiceSettings.SHUTDOWN_TIMEOUT_MS_MAX)
        @Default("" + ServiceSettings.SHUTDOWN_TIMEOUT_MS_DEFAULT)
        public Integer shutdownTimeoutMs;

        @JsonPropertyDescription(ServiceSettings.LOG_LEVEL_DOC)
        @Pattern(ServiceSettings.LOG_LEVEL_PATTERN)
        @Default(ServiceSettings.LOG_LEVEL_DEFAULT)
        public String logLevel;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = Autoscaling.BOUNDS_RULE, message = "minReplicas must not exceed maxReplicas")
    public static class Autoscaling {
        /** The bounds only matter while the autoscaler is on: switching it off keeps old bounds harmless. */
        public static final String BOUNDS_RULE = "(has(self.enabled) && !self.enabled) || !has(self.minReplicas)"
                + " || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas";

        public static final boolean ENABLED_DEFAULT = true;
        public static final int MIN_REPLICAS_DEFAULT = 2;
        public static final int MAX_REPLICAS_DEFAULT = 10;
        public static final int TARGET_CPU_DEFAULT = 70;

        @JsonPropertyDescription("Create a HorizontalPodAutoscaler; when false, spec.replicas is used.")
        @Default("" + ENABLED_DEFAULT)
        public Boolean enabled;

        @Min(1)
        @Max(100)
        @Default("" + MIN_REPLICAS_DEFAULT)
        public Integer minReplicas;

        @Min(1)
        @Max(100)
        @Default("" + MAX_REPLICAS_DEFAULT)
        public Integer maxReplicas;

        @JsonPropertyDescription("Target average CPU utilization in percent of the CPU request.")
        @Min(1)
        @Max(100)
        @Default("" + TARGET_CPU_DEFAULT)
        public Integer targetCPUUtilizationPercentage;

        @JsonPropertyDescription("Optional scale-up/scale-down behaviour, copied to the HPA as is.")
        public HorizontalPodAutoscalerBehavior behavior;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = Queue.EXCLUSIVE_RULE, message = "existingUrl and name are mutually exclusive")
    public static class Queue {
        public static final String EXCLUSIVE_RULE = "!has(self.existingUrl) || !has(self.name)";
        public static final int MESSAGE_RETENTION_DEFAULT = 345600;
        public static final int VISIBILITY_TIMEOUT_DEFAULT = 30;
        public static final String DELETION_POLICY_DEFAULT = "Retain";

        @JsonPropertyDescription(
                "Use this queue (owned by the team) instead of creating one. The operator only verifies it exists.")
        @Pattern("^https?://.+$")
        public String existingUrl;

        @JsonPropertyDescription(
                "Name of the queue to create. Default: es-<namespace>-<name>, shortened to 80 characters.")
        @Pattern("^[A-Za-z0-9_-]{1,76}$")
        public String name;

        @JsonPropertyDescription("AWS region of the queue. Default: the operator's AWS_REGION.")
        @Pattern(SqsQueueUrls.REGION_PATTERN)
        public String region;

        @JsonPropertyDescription("Endpoint override for SQS-compatible servers (e.g. ElasticMQ).")
        @Pattern("^https?://.+$")
        public String endpoint;

        @JsonPropertyDescription("Message retention in seconds (60 to 1209600).")
        @Min(60)
        @Max(1209600)
        @Default("" + MESSAGE_RETENTION_DEFAULT)
        public Integer messageRetentionSeconds;

        @JsonPropertyDescription("Visibility timeout in seconds (0 to 43200).")
        @Min(0)
        @Max(43200)
        @Default("" + VISIBILITY_TIMEOUT_DEFAULT)
        public Integer visibilityTimeoutSeconds;

        public DeadLetterQueue deadLetterQueue;

        public Encryption encryption;

        @JsonPropertyDescription("Extra tags on the created queues. Keys starting with eventsink.io/ are reserved.")
        public Map<String, String> tags;

        @JsonPropertyDescription(
                "Retain (default) keeps a created queue when the EventSink is deleted; Delete removes it.")
        @Pattern("^(Retain|Delete)$")
        @Default(DELETION_POLICY_DEFAULT)
        public String deletionPolicy;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class DeadLetterQueue {
        public static final boolean ENABLED_DEFAULT = true;
        public static final int MAX_RECEIVE_COUNT_DEFAULT = 5;
        public static final int MESSAGE_RETENTION_DEFAULT = 1209600;

        @Default("" + ENABLED_DEFAULT)
        public Boolean enabled;

        @JsonPropertyDescription("Receives before a message moves to the dead-letter queue.")
        @Min(1)
        @Max(1000)
        @Default("" + MAX_RECEIVE_COUNT_DEFAULT)
        public Integer maxReceiveCount;

        @Min(60)
        @Max(1209600)
        @Default("" + MESSAGE_RETENTION_DEFAULT)
        public Integer messageRetentionSeconds;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Encryption {
        public static final String TYPE_DEFAULT = "SQS";

        @JsonPropertyDescription("SQS (SSE-SQS, default), KMS (SSE-KMS, needs kmsKeyId) or None.")
        @Pattern("^(SQS|KMS|None)$")
        @Default(TYPE_DEFAULT)
        public String type;

        @JsonPropertyDescription("KMS key id, alias or ARN for type KMS.")
        public String kmsKeyId;

        @Min(60)
        @Max(86400)
        public Integer kmsDataKeyReusePeriodSeconds;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(
            value = ServiceAccount.EXCLUSIVE_RULE,
            message = "name (existing service account) and iamRoleArn are mutually exclusive")
    public static class ServiceAccount {
        public static final String EXCLUSIVE_RULE = "!has(self.name) || !has(self.iamRoleArn)";

        @JsonPropertyDescription("Use this existing service account instead of creating one.")
        public String name;

        @JsonPropertyDescription("IAM role for IRSA, set as eks.amazonaws.com/role-arn on the created service account.")
        @Pattern("^arn:aws[a-z-]*:iam::\\d{12}:role/.+$")
        public String iamRoleArn;

        public Map<String, String> annotations;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Ingress {
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

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class PodDisruptionBudget {
        public static final boolean ENABLED_DEFAULT = true;
        public static final int MIN_AVAILABLE_DEFAULT = 1;

        @JsonPropertyDescription("Create a PodDisruptionBudget (skipped when at most one replica can run).")
        @Default("" + ENABLED_DEFAULT)
        public Boolean enabled;

        @JsonPropertyDescription("Pods that must stay available: a number or a percentage. Default: 1.")
        public IntOrString minAvailable;
    }

    /** Prometheus scraping of the sink's management port through a Prometheus Operator ServiceMonitor. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Monitoring {
        public static final boolean ENABLED_DEFAULT = false;
        public static final String INTERVAL_DEFAULT = "30s";

        @JsonPropertyDescription(
                "Create a ServiceMonitor (monitoring.coreos.com/v1) for the management port's /metrics."
                        + " Needs the Prometheus Operator's CRDs in the cluster.")
        @Default("" + ENABLED_DEFAULT)
        public Boolean enabled;

        @JsonPropertyDescription("Scrape interval, e.g. 30s or 1m.")
        @Pattern("^[1-9][0-9]*(ms|s|m|h)$")
        @Default(INTERVAL_DEFAULT)
        public String interval;

        @JsonPropertyDescription("Extra labels on the ServiceMonitor, e.g. the one your Prometheus selects by"
                + " (release: kube-prometheus-stack).")
        public Map<String, String> labels;
    }
}
