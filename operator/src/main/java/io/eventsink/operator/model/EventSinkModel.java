package io.eventsink.operator.model;

import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.crd.EventSinkSpec;
import io.eventsink.operator.crd.ServiceMonitor;
import io.eventsink.settings.ServiceSettings;
import io.eventsink.settings.Setting;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An EventSink resolved once: every default applied (from the schema constants in {@link EventSinkSpec} and the
 * service-settings catalogue), nothing optional left to look up again. Every builder reads this, never the raw
 * spec. Immutable: collections are copied, maps sorted (so that what is built from them hashes the same on every
 * run).
 */
public record EventSinkModel(
        String namespace,
        String name,
        String uid,
        long generation,
        String image,
        String imagePullPolicy,
        List<String> imagePullSecrets,
        int replicas,
        ResourceRequirements resources,
        List<EnvVar> env,
        Map<String, String> nodeSelector,
        List<Toleration> tolerations,
        Affinity affinity,
        Map<String, String> podAnnotations,
        Map<String, String> podLabels,
        Map<String, String> serviceConfig,
        Autoscaling autoscaling,
        QueueSettings queue,
        ServiceAccountSettings serviceAccount,
        IngressSettings ingress,
        PdbSettings podDisruptionBudget,
        MonitoringSettings monitoring) {

    public static final int HTTP_PORT = Integer.parseInt(ServiceSettings.PORT.defaultValue());
    public static final int MANAGEMENT_PORT = Integer.parseInt(ServiceSettings.MANAGEMENT_PORT.defaultValue());
    /** Readiness goes DOWN on SIGTERM and the pod keeps serving this long, so endpoints stop routing to it first. */
    public static final int SHUTDOWN_DELAY_MS = 5000;

    public record Autoscaling(
            boolean enabled,
            int minReplicas,
            int maxReplicas,
            int targetCpu,
            HorizontalPodAutoscalerBehavior behavior) {}

    public record DeadLetterSettings(boolean enabled, int maxReceiveCount, int messageRetentionSeconds) {}

    public record EncryptionSettings(String type, String kmsKeyId, Integer kmsDataKeyReusePeriodSeconds) {}

    /** @param existingUrl the team's queue, or null when the operator creates {@code name} */
    public record QueueSettings(
            String existingUrl,
            String name,
            String region,
            String endpoint,
            int messageRetentionSeconds,
            int visibilityTimeoutSeconds,
            DeadLetterSettings deadLetter,
            EncryptionSettings encryption,
            Map<String, String> tags,
            String deletionPolicy) {}

    /** @param existingName a ServiceAccount the team provides (none is created), or null */
    public record ServiceAccountSettings(String existingName, String iamRoleArn, Map<String, String> annotations) {}

    public record IngressSettings(
            boolean enabled,
            String className,
            String host,
            String path,
            String tlsSecretName,
            Map<String, String> annotations) {}

    public record PdbSettings(boolean enabled, IntOrString minAvailable) {}

    public record MonitoringSettings(boolean enabled, String interval, Map<String, String> labels) {}

    /** Resolves the spec with every default. The spec is assumed to have passed {@link SpecValidator}. */
    public static EventSinkModel fromCrd(EventSink es) {
        EventSinkSpec s = Objects.requireNonNullElseGet(es.getSpec(), EventSinkSpec::new);
        var meta = es.getMetadata();
        var a = Objects.requireNonNullElseGet(s.autoscaling, EventSinkSpec.Autoscaling::new);
        var q = Objects.requireNonNullElseGet(s.queue, EventSinkSpec.Queue::new);
        var dlq = Objects.requireNonNullElseGet(q.deadLetterQueue, EventSinkSpec.DeadLetterQueue::new);
        var enc = Objects.requireNonNullElseGet(q.encryption, EventSinkSpec.Encryption::new);
        var sa = Objects.requireNonNullElseGet(s.serviceAccount, EventSinkSpec.ServiceAccount::new);
        var in = Objects.requireNonNullElseGet(s.ingress, EventSinkSpec.Ingress::new);
        var pdb = Objects.requireNonNullElseGet(s.podDisruptionBudget, EventSinkSpec.PodDisruptionBudget::new);
        var mon = Objects.requireNonNullElseGet(s.monitoring, EventSinkSpec.Monitoring::new);
        String name = meta.getName();
        String namespace = meta.getNamespace();
        return new EventSinkModel(
                namespace,
                name,
                meta.getUid(),
                meta.getGeneration() == null ? 0L : meta.getGeneration(),
                or(s.image, EventSinkSpec.IMAGE_DEFAULT),
                or(s.imagePullPolicy, EventSinkSpec.IMAGE_PULL_POLICY_DEFAULT),
                list(s.imagePullSecrets),
                or(s.replicas, EventSinkSpec.REPLICAS_DEFAULT),
                copy(s.resources),
                list(s.env),
                sorted(s.nodeSelector),
                list(s.tolerations),
                copy(s.affinity),
                sorted(s.podAnnotations),
                sorted(s.podLabels),
                serviceConfig(s.config),
                new Autoscaling(
                        or(a.enabled, EventSinkSpec.Autoscaling.ENABLED_DEFAULT),
                        or(a.minReplicas, EventSinkSpec.Autoscaling.MIN_REPLICAS_DEFAULT),
                        or(a.maxReplicas, EventSinkSpec.Autoscaling.MAX_REPLICAS_DEFAULT),
                        or(a.targetCPUUtilizationPercentage, EventSinkSpec.Autoscaling.TARGET_CPU_DEFAULT),
                        copy(a.behavior)),
                new QueueSettings(
                        q.existingUrl,
                        q.existingUrl != null ? null : or(q.name, QueueModel.derivedName(namespace, name)),
                        q.region,
                        q.endpoint,
                        or(q.messageRetentionSeconds, EventSinkSpec.Queue.MESSAGE_RETENTION_DEFAULT),
                        or(q.visibilityTimeoutSeconds, EventSinkSpec.Queue.VISIBILITY_TIMEOUT_DEFAULT),
                        new DeadLetterSettings(
                                or(dlq.enabled, EventSinkSpec.DeadLetterQueue.ENABLED_DEFAULT),
                                or(dlq.maxReceiveCount, EventSinkSpec.DeadLetterQueue.MAX_RECEIVE_COUNT_DEFAULT),
                                or(
                                        dlq.messageRetentionSeconds,
                                        EventSinkSpec.DeadLetterQueue.MESSAGE_RETENTION_DEFAULT)),
                        new EncryptionSettings(
                                or(enc.type, EventSinkSpec.Encryption.TYPE_DEFAULT),
                                enc.kmsKeyId,
                                enc.kmsDataKeyReusePeriodSeconds),
                        sorted(q.tags),
                        or(q.deletionPolicy, EventSinkSpec.Queue.DELETION_POLICY_DEFAULT)),
                new ServiceAccountSettings(sa.name, sa.iamRoleArn, sorted(sa.annotations)),
                new IngressSettings(
                        or(in.enabled, EventSinkSpec.Ingress.ENABLED_DEFAULT),
                        in.className,
                        in.host,
                        or(in.path, EventSinkSpec.Ingress.PATH_DEFAULT),
                        in.tlsSecretName,
                        sorted(in.annotations)),
                new PdbSettings(
                        or(pdb.enabled, EventSinkSpec.PodDisruptionBudget.ENABLED_DEFAULT),
                        pdb.minAvailable != null
                                ? copy(pdb.minAvailable)
                                : new IntOrString(EventSinkSpec.PodDisruptionBudget.MIN_AVAILABLE_DEFAULT)),
                new MonitoringSettings(
                        or(mon.enabled, EventSinkSpec.Monitoring.ENABLED_DEFAULT),
                        or(mon.interval, EventSinkSpec.Monitoring.INTERVAL_DEFAULT),
                        sorted(mon.labels)));
    }

    /**
     * Every {@code spec.config} field through the catalogue: the value set, else the setting's default; lists are
     * joined with commas as the service reads them. Settings without a value and without a default are left out.
     */
    static Map<String, String> serviceConfig(EventSinkSpec.Config config) {
        @SuppressWarnings("unchecked")
        Map<String, Object> fields =
                config == null ? Map.of() : Serialization.jsonMapper().convertValue(config, Map.class);
        Map<String, String> env = new TreeMap<>();
        for (Setting setting : ServiceSettings.inCrd()) {
            Object value = fields.get(setting.crdField());
            String text = value instanceof List<?> l
                    ? String.join(",", l.stream().map(String::valueOf).toList())
                    : value != null ? String.valueOf(value) : setting.defaultValue();
            if (text != null && !text.isEmpty()) {
                env.put(setting.env(), text);
            }
        }
        return Collections.unmodifiableMap(env);
    }

    // --- what the spec implies

    public String owner() {
        return namespace + "/" + name;
    }

    public String configMapName() {
        return name + "-config";
    }

    public boolean createsServiceAccount() {
        return serviceAccount.existingName() == null;
    }

    public String serviceAccountName() {
        return createsServiceAccount() ? name : serviceAccount.existingName();
    }

    /** Highest replica count this spec can ever run. */
    public int maxPossibleReplicas() {
        return autoscaling.enabled() ? autoscaling.maxReplicas() : replicas;
    }

    /** Replicas to write into the Deployment, or empty when the HorizontalPodAutoscaler owns the count. */
    public Optional<Integer> deploymentReplicas() {
        return autoscaling.enabled() ? Optional.empty() : Optional.of(replicas);
    }

    public boolean wantsHpa() {
        return autoscaling.enabled();
    }

    /** A PDB over a single pod would block every node drain. */
    public boolean wantsPdb() {
        return podDisruptionBudget.enabled() && maxPossibleReplicas() > 1;
    }

    public boolean wantsIngress() {
        return ingress.enabled();
    }

    public boolean wantsServiceMonitor() {
        return monitoring.enabled();
    }

    public boolean usesExistingQueue() {
        return queue.existingUrl() != null;
    }

    /** Only queues the operator created are ever deleted. */
    public boolean deletesQueueOnDeletion() {
        return "Delete".equals(queue.deletionPolicy()) && !usesExistingQueue();
    }

    public String shutdownTimeoutMs() {
        return serviceConfig.get(ServiceSettings.SHUTDOWN_TIMEOUT_MS.env());
    }

    /** In-cluster URL written to status.endpoint. */
    public String endpoint() {
        return "http://" + name + "." + namespace + ".svc:" + HTTP_PORT;
    }

    // --- the owned objects, built from this model only

    public ConfigMap generateConfigMap() {
        return ConfigMapModel.build(this);
    }

    public Deployment generateDeployment(QueueState queue, String awsRegion) {
        return DeploymentModel.build(this, queue, awsRegion);
    }

    public Service generateService() {
        return ServiceModel.build(this);
    }

    public ServiceAccount generateServiceAccount() {
        return ServiceAccountModel.build(this);
    }

    public HorizontalPodAutoscaler generateHpa() {
        return HpaModel.build(this);
    }

    public PodDisruptionBudget generatePdb() {
        return PdbModel.build(this);
    }

    public Ingress generateIngress() {
        return IngressModel.build(this);
    }

    public ServiceMonitor generateServiceMonitor() {
        return ServiceMonitorModel.build(this);
    }

    // --- resolution helpers

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : List.copyOf(l);
    }

    private static Map<String, String> sorted(Map<String, String> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(m));
    }

    /** A deep copy, so that nothing built from the model can reach back into the custom resource. */
    private static <T> T copy(T value) {
        return value == null ? null : Serialization.clone(value);
    }
}
