package io.eventsink.operator.model;

import static io.eventsink.operator.model.Resolve.copy;
import static io.eventsink.operator.model.Resolve.list;
import static io.eventsink.operator.model.Resolve.or;
import static io.eventsink.operator.model.Resolve.sorted;

import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.crd.spec.DeletionPolicy;
import io.eventsink.operator.crd.spec.EventSinkSpec;
import io.eventsink.operator.crd.spec.ImagePullPolicy;
import io.eventsink.settings.ServiceSettings;
import io.eventsink.settings.Setting;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An EventSink resolved once ({@link #fromCrd}): every default applied (from the constants of the spec classes and
 * the service-settings catalogue), nothing optional left to look up again. The builders of the owned objects read
 * this, never the raw spec. Immutable: collections are copied, maps sorted (so that what is built from them hashes
 * the same on every run).
 *
 * @param serviceConfig the service's environment variables set through the spec, defaults included
 */
public record EventSinkModel(
        String namespace,
        String name,
        String uid,
        long generation,
        String image,
        ImagePullPolicy imagePullPolicy,
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
        AutoscalingSettings autoscaling,
        QueueSettings queue,
        ServiceAccountSettings serviceAccount,
        IngressSettings ingress,
        PdbSettings podDisruptionBudget,
        MonitoringSettings monitoring) {

    public static final int HTTP_PORT = Integer.parseInt(ServiceSettings.PORT.defaultValue());
    public static final int MANAGEMENT_PORT = Integer.parseInt(ServiceSettings.MANAGEMENT_PORT.defaultValue());
    /** Readiness goes DOWN on SIGTERM and the pod keeps serving this long, so endpoints stop routing to it first. */
    public static final int SHUTDOWN_DELAY_MS = 5000;

    /** Resolves the spec with every default. The spec is assumed to have passed {@link SpecValidator}. */
    public static EventSinkModel fromCrd(EventSink es) {
        EventSinkSpec s = Objects.requireNonNullElseGet(es.getSpec(), EventSinkSpec::new);
        var meta = es.getMetadata();
        Map<String, String> serviceConfig = ServiceConfig.from(s);
        return new EventSinkModel(
                meta.getNamespace(),
                meta.getName(),
                meta.getUid(),
                meta.getGeneration() == null ? 0L : meta.getGeneration(),
                or(s.image, EventSinkSpec.IMAGE_DEFAULT),
                or(s.imagePullPolicy, ImagePullPolicy.IF_NOT_PRESENT),
                list(s.imagePullSecrets),
                or(s.replicas, EventSinkSpec.REPLICAS_DEFAULT),
                copy(s.resources),
                list(s.env),
                sorted(s.nodeSelector),
                list(s.tolerations),
                copy(s.affinity),
                sorted(s.podAnnotations),
                sorted(s.podLabels),
                serviceConfig,
                AutoscalingSettings.from(s.autoscaling),
                QueueSettings.from(s.queue, meta.getNamespace(), meta.getName(), serviceConfig),
                ServiceAccountSettings.from(s.serviceAccount),
                IngressSettings.from(s.ingress),
                PdbSettings.from(s.podDisruptionBudget),
                MonitoringSettings.from(s.monitoring));
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
        return queue.deletionPolicy() == DeletionPolicy.DELETE && !usesExistingQueue();
    }

    /** A service setting as the pods get it (set in the spec, else its default), or null when neither. */
    public String serviceSetting(Setting setting) {
        return serviceConfig.get(setting.env());
    }

    /** In-cluster URL written to status.endpoint. */
    public String endpoint() {
        return "http://" + name + "." + namespace + ".svc:" + HTTP_PORT;
    }
}
