package io.eventsink.operator.model;

import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.crd.EventSinkSpec;
import io.eventsink.operator.sqs.QueueState;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The service Deployment, following the service contract in the main README (ports, probes, shutdown). */
public final class DeploymentModel {
    public static final String CONTAINER = "eventsink";
    public static final String CONFIG_HASH_ANNOTATION = "eventsink.io/config-hash";
    /** Env vars the operator owns; spec.env may not override them (the SpecValidator rejects it). */
    public static final Set<String> RESERVED_ENV = Set.of(
            "SQS_QUEUE_URL",
            "SQS_ENDPOINT",
            "AWS_REGION",
            "QUEUE_REGION",
            "QUEUE_TYPE",
            "PORT",
            "MANAGEMENT_PORT",
            "SHUTDOWN_DELAY_MS");

    private DeploymentModel() {}

    /**
     * @param replicas replica count to write, or null to leave it to the HorizontalPodAutoscaler
     */
    public static Deployment build(EventSink es, QueueState queue, String awsRegion, Integer replicas) {
        EventSinkSpec spec = es.getSpec();
        String configHash = ConfigMapModel.hash(ConfigMapModel.data(es));

        Map<String, String> podLabels = new LinkedHashMap<>();
        if (spec.podLabels != null) {
            podLabels.putAll(spec.podLabels);
        }
        podLabels.putAll(Labels.common(es)); // ours win: the selector must keep matching

        Map<String, String> podAnnotations = new LinkedHashMap<>();
        podAnnotations.put("prometheus.io/scrape", "true");
        podAnnotations.put("prometheus.io/port", String.valueOf(Defaults.MANAGEMENT_PORT));
        podAnnotations.put("prometheus.io/path", "/metrics");
        if (spec.podAnnotations != null) {
            podAnnotations.putAll(spec.podAnnotations);
        }
        podAnnotations.put(CONFIG_HASH_ANNOTATION, configHash);

        // the pod needs SHUTDOWN_DELAY + drain time + margin before SIGKILL
        long grace = (Defaults.SHUTDOWN_DELAY_MS + Defaults.shutdownTimeoutMs(spec)) / 1000L + 5L;

        List<LocalObjectReference> pullSecrets = spec.imagePullSecrets == null
                ? List.of()
                : spec.imagePullSecrets.stream().map(LocalObjectReference::new).toList();

        return new DeploymentBuilder()
                .withMetadata(Labels.meta(es, es.getMetadata().getName()))
                .withNewSpec()
                .withReplicas(replicas)
                .withRevisionHistoryLimit(3)
                .withNewSelector()
                .withMatchLabels(Labels.selector(es))
                .endSelector()
                .withNewStrategy()
                .withType("RollingUpdate")
                .withNewRollingUpdate()
                .withMaxUnavailable(new IntOrString(0))
                .withMaxSurge(new IntOrString("25%"))
                .endRollingUpdate()
                .endStrategy()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(podLabels)
                .withAnnotations(podAnnotations)
                .endMetadata()
                .withNewSpec()
                .withServiceAccountName(Labels.serviceAccountName(es))
                // the service never calls the Kubernetes API; IRSA mounts its own token
                .withAutomountServiceAccountToken(false)
                .withTerminationGracePeriodSeconds(grace)
                .withImagePullSecrets(pullSecrets)
                .withNodeSelector(spec.nodeSelector)
                .withTolerations(spec.tolerations)
                .withAffinity(spec.affinity)
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(Defaults.RUN_AS_USER)
                .withRunAsGroup(Defaults.RUN_AS_USER)
                .withFsGroup(Defaults.RUN_AS_USER)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .endSecurityContext()
                .withContainers(container(es, queue, awsRegion))
                .addNewVolume()
                .withName("tmp")
                .withNewEmptyDir()
                .withSizeLimit(new Quantity("64Mi"))
                .endEmptyDir()
                .endVolume()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static Container container(EventSink es, QueueState queue, String awsRegion) {
        EventSinkSpec spec = es.getSpec();
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVar("SQS_QUEUE_URL", queue.url(), null));
        if (awsRegion != null) {
            env.add(new EnvVar("AWS_REGION", awsRegion, null));
        }
        String endpoint = Defaults.get(spec.queue, q -> q.endpoint, null);
        if (endpoint != null) {
            env.add(new EnvVar("SQS_ENDPOINT", endpoint, null));
        }
        if (spec.env != null) {
            env.addAll(spec.env);
        }
        return new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(Defaults.get(spec, s -> s.image, Defaults.IMAGE))
                .withImagePullPolicy(Defaults.get(spec, s -> s.imagePullPolicy, Defaults.IMAGE_PULL_POLICY))
                .addNewPort()
                .withName("http")
                .withContainerPort(Defaults.HTTP_PORT)
                .withProtocol("TCP")
                .endPort()
                .addNewPort()
                .withName("management")
                .withContainerPort(Defaults.MANAGEMENT_PORT)
                .withProtocol("TCP")
                .endPort()
                .addNewEnvFrom()
                .withNewConfigMapRef()
                .withName(Labels.configMapName(es))
                .endConfigMapRef()
                .endEnvFrom()
                .withEnv(env)
                .withResources(resources(spec.resources))
                .withNewLivenessProbe()
                .withNewHttpGet()
                .withPath("/health/live")
                .withPort(new IntOrString("management"))
                .endHttpGet()
                .withInitialDelaySeconds(5)
                .withPeriodSeconds(10)
                .withTimeoutSeconds(2)
                .withFailureThreshold(3)
                .endLivenessProbe()
                .withNewReadinessProbe()
                .withNewHttpGet()
                .withPath("/health/ready")
                .withPort(new IntOrString("management"))
                .endHttpGet()
                .withPeriodSeconds(5)
                .withTimeoutSeconds(2)
                .withFailureThreshold(2)
                .endReadinessProbe()
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(Defaults.RUN_AS_USER)
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withPrivileged(false)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .endSecurityContext()
                .addNewVolumeMount()
                .withName("tmp")
                .withMountPath("/tmp")
                .endVolumeMount()
                .build();
    }

    static ResourceRequirements resources(ResourceRequirements requested) {
        if (requested != null && (requested.getRequests() != null || requested.getLimits() != null)) {
            return requested;
        }
        return new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("100m"))
                .addToRequests("memory", new Quantity("256Mi"))
                .addToLimits("memory", new Quantity("512Mi"))
                .build();
    }
}
