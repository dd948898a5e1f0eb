package io.eventsink.operator.model;

import io.eventsink.settings.ServiceSettings;
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
    static final long RUN_AS_USER = 10001L;
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

    /** @param awsRegion the pods' AWS_REGION, or null to let the service derive it from the queue URL */
    public static Deployment build(EventSinkModel m, QueueState queue, String awsRegion) {
        String configHash = ConfigMapModel.hash(ConfigMapModel.data(m));

        Map<String, String> podLabels = new LinkedHashMap<>(m.podLabels());
        podLabels.putAll(Labels.common(m)); // ours win: the selector must keep matching

        Map<String, String> podAnnotations = new LinkedHashMap<>();
        podAnnotations.put("prometheus.io/scrape", "true");
        podAnnotations.put("prometheus.io/port", String.valueOf(EventSinkModel.MANAGEMENT_PORT));
        podAnnotations.put("prometheus.io/path", "/metrics");
        podAnnotations.putAll(m.podAnnotations());
        podAnnotations.put(CONFIG_HASH_ANNOTATION, configHash);

        // the pod needs SHUTDOWN_DELAY + drain time + margin before SIGKILL
        long grace = (EventSinkModel.SHUTDOWN_DELAY_MS
                                + Long.parseLong(m.serviceSetting(ServiceSettings.SHUTDOWN_TIMEOUT_MS)))
                        / 1000L
                + 5L;

        List<LocalObjectReference> pullSecrets =
                m.imagePullSecrets().stream().map(LocalObjectReference::new).toList();

        return new DeploymentBuilder()
                .withMetadata(Labels.meta(m, m.name()))
                .withNewSpec()
                .withReplicas(m.deploymentReplicas().orElse(null))
                .withRevisionHistoryLimit(3)
                .withNewSelector()
                .withMatchLabels(Labels.selector(m))
                .endSelector()
                // a rollout never lowers ready capacity: new pods (at least one at a time, 25 % rounds up) warm up
                // and become ready before an old one is stopped
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
                .withServiceAccountName(m.serviceAccountName())
                // the service never calls the Kubernetes API; IRSA mounts its own token
                .withAutomountServiceAccountToken(false)
                .withTerminationGracePeriodSeconds(grace)
                .withImagePullSecrets(pullSecrets)
                .withNodeSelector(m.nodeSelector().isEmpty() ? null : new LinkedHashMap<>(m.nodeSelector()))
                .withTolerations(m.tolerations().isEmpty() ? null : m.tolerations())
                .withAffinity(m.affinity())
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(RUN_AS_USER)
                .withRunAsGroup(RUN_AS_USER)
                .withFsGroup(RUN_AS_USER)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .endSecurityContext()
                .withContainers(container(m, queue, awsRegion))
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

    private static Container container(EventSinkModel m, QueueState queue, String awsRegion) {
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVar("SQS_QUEUE_URL", queue.url(), null));
        if (awsRegion != null) {
            env.add(new EnvVar("AWS_REGION", awsRegion, null));
        }
        if (m.queue().endpoint() != null) {
            env.add(new EnvVar("SQS_ENDPOINT", m.queue().endpoint(), null));
        }
        env.addAll(m.env());
        return new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(m.image())
                .withImagePullPolicy(m.imagePullPolicy().value())
                .addNewPort()
                .withName("http")
                .withContainerPort(EventSinkModel.HTTP_PORT)
                .withProtocol("TCP")
                .endPort()
                .addNewPort()
                .withName("management")
                .withContainerPort(EventSinkModel.MANAGEMENT_PORT)
                .withProtocol("TCP")
                .endPort()
                .addNewEnvFrom()
                .withNewConfigMapRef()
                .withName(m.configMapName())
                .endConfigMapRef()
                .endEnvFrom()
                .withEnv(env)
                .withResources(resources(m.resources()))
                .withStartupProbe(Probes.startup(m))
                .withLivenessProbe(Probes.liveness())
                .withReadinessProbe(Probes.readiness())
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(RUN_AS_USER)
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
