package io.eventsink.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventsink.operator.crd.spec.AutoscalingSpec;
import io.eventsink.operator.crd.spec.ImagePullPolicy;
import io.eventsink.operator.crd.spec.QueueSpec;
import io.eventsink.operator.crd.spec.ServiceAccountSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeploymentModelTest {

    private static Container container(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    @Test
    void minimalSpecFollowsTheServiceContract() {
        Deployment d = DeploymentModel.build(Fixtures.minimalModel(), Fixtures.QUEUE, "eu-west-1");
        Container c = container(d);
        assertThat(d.getMetadata().getName()).isEqualTo("sink");
        assertThat(d.getMetadata().getNamespace()).isEqualTo("ns");
        assertThat(d.getSpec().getReplicas()).as("left to the HPA").isNull();
        assertThat(d.getSpec().getSelector().getMatchLabels())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("app.kubernetes.io/name", "eventsink", "app.kubernetes.io/instance", "sink"));
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
        assertThat(c.getImage()).isEqualTo("ghcr.io/eventsink/eventsink-service:0.1.0");
        assertThat(c.getImagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(c.getPorts())
                .extracting(p -> p.getName() + "=" + p.getContainerPort())
                .containsExactly("http=3000", "management=9090");
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/live");
        assertThat(c.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("management");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
        assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("management");
        assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/health/started");
        assertThat(c.getStartupProbe().getHttpGet().getPort().getStrVal()).isEqualTo("management");
        assertThat(c.getEnv())
                .containsExactly(
                        new EnvVar("SQS_QUEUE_URL", Fixtures.QUEUE.url(), null),
                        new EnvVar("AWS_REGION", "eu-west-1", null));
        assertThat(c.getEnvFrom().get(0).getConfigMapRef().getName()).isEqualTo("sink-config");
        assertThat(c.getResources().getRequests())
                .containsEntry("cpu", new Quantity("100m"))
                .containsEntry("memory", new Quantity("256Mi"));
        assertThat(c.getResources().getLimits()).containsEntry("memory", new Quantity("512Mi"));
        assertThat(d.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("sink");
        // The image's entry point starts the JVM with the AOT cache recorded at image build
        // (service/Dockerfile): the pod must not replace it.
        assertThat(c.getCommand()).isNullOrEmpty();
        assertThat(c.getArgs()).isNullOrEmpty();
    }

    /**
     * The startup probe gives a pod the JVM start plus the longest warm-up before the kubelet restarts it; liveness
     * and readiness only run after it, so they need no initial delay, and readiness is asked often enough that a
     * warmed pod is in the endpoints within seconds.
     */
    @Test
    void startupProbeCoversTheStartAndTheWarmup() {
        var defaults = container(DeploymentModel.build(Fixtures.minimalModel(), Fixtures.QUEUE, null));
        assertThat(defaults.getStartupProbe().getPeriodSeconds()).isEqualTo(1);
        assertThat(defaults.getStartupProbe().getFailureThreshold())
                .as("60 s start + WARMUP_TIMEOUT_MS 20000 by default, in 1 s periods")
                .isEqualTo(80);
        var longWarmup = container(DeploymentModel.build(
                Fixtures.model(s -> s.config = Map.of("warmupTimeoutMs", 120_000)), Fixtures.QUEUE, null));
        assertThat(longWarmup.getStartupProbe().getFailureThreshold()).isEqualTo(180);
        var noWarmup = container(DeploymentModel.build(
                Fixtures.model(s -> s.config = Map.of("warmupEnabled", false, "warmupTimeoutMs", 120_000)),
                Fixtures.QUEUE,
                null));
        assertThat(noWarmup.getStartupProbe().getFailureThreshold()).isEqualTo(60);
        var partSecond = container(DeploymentModel.build(
                Fixtures.model(s -> s.config = Map.of("warmupTimeoutMs", 1500)), Fixtures.QUEUE, null));
        assertThat(partSecond.getStartupProbe().getFailureThreshold()).isEqualTo(62);

        assertThat(defaults.getLivenessProbe().getInitialDelaySeconds()).isNull();
        assertThat(defaults.getReadinessProbe().getInitialDelaySeconds()).isNull();
        assertThat(defaults.getReadinessProbe().getPeriodSeconds()).isEqualTo(2);
        assertThat(defaults.getLivenessProbe().getPeriodSeconds()).isEqualTo(10);
    }

    @Test
    void rolloutsNeverLowerReadyCapacity() {
        var strategy = DeploymentModel.build(Fixtures.minimalModel(), Fixtures.QUEUE, null)
                .getSpec()
                .getStrategy();
        assertThat(strategy.getType()).isEqualTo("RollingUpdate");
        assertThat(strategy.getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
        assertThat(strategy.getRollingUpdate().getMaxSurge().getStrVal())
                .as("a percentage rounds up: at least one new pod at a time")
                .isEqualTo("25%");
    }

    @Test
    void podIsLockedDown() {
        Deployment d = DeploymentModel.build(Fixtures.minimalModel(), Fixtures.QUEUE, "eu-west-1");
        var pod = d.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        var sc = container(d).getSecurityContext();
        assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
        assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
        assertThat(sc.getRunAsNonRoot()).isTrue();
        assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        // read-only root: /tmp is the one writable place
        assertThat(container(d).getVolumeMounts())
                .singleElement()
                .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
        assertThat(pod.getVolumes())
                .singleElement()
                .satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
    }

    @Test
    void gracePeriodCoversShutdownDelayAndDrain() {
        var d = DeploymentModel.build(Fixtures.minimalModel(), Fixtures.QUEUE, null);
        // 5 s delay + 25 s drain + 5 s margin
        assertThat(d.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .isEqualTo(35L);
        var longDrain = DeploymentModel.build(
                Fixtures.model(s -> {
                    s.config = Map.of("shutdownTimeoutMs", 60000);
                }),
                Fixtures.QUEUE,
                null);
        assertThat(longDrain.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .isEqualTo(70L);
        assertThat(longDrain
                        .getSpec()
                        .getStrategy()
                        .getRollingUpdate()
                        .getMaxUnavailable()
                        .getIntVal())
                .isZero();
    }

    @Test
    void configChangeChangesTheHashAnnotationAndOnlyThen() {
        String h1 = annotation(DeploymentModel.build(Fixtures.minimalModel(), Fixtures.QUEUE, null));
        String h2 = annotation(DeploymentModel.build(Fixtures.minimalModel(), Fixtures.QUEUE, null));
        String h3 = annotation(DeploymentModel.build(
                Fixtures.model(s -> {
                    s.config = Map.of("logLevel", "DEBUG");
                }),
                Fixtures.QUEUE,
                null));
        assertThat(h1).isEqualTo(h2).isNotEqualTo(h3).hasSize(16);
    }

    private static String annotation(Deployment d) {
        return d.getSpec().getTemplate().getMetadata().getAnnotations().get(DeploymentModel.CONFIG_HASH_ANNOTATION);
    }

    @Test
    void fullSpecIsCarriedOver() {
        var es = Fixtures.sink(s -> {
            s.autoscaling = new AutoscalingSpec();
            s.autoscaling.enabled = false;
            s.replicas = 4;
            s.image = "registry.example/eventsink:1.2.3";
            s.imagePullPolicy = ImagePullPolicy.ALWAYS;
            s.imagePullSecrets = List.of("regcred");
            s.env = List.of(new EnvVar("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=75", null));
            s.nodeSelector = Map.of("pool", "ingest");
            s.tolerations = List.of(new TolerationBuilder()
                    .withKey("dedicated")
                    .withValue("ingest")
                    .withEffect("NoSchedule")
                    .build());
            s.podAnnotations = Map.of("team", "video");
            s.podLabels = Map.of("cost-center", "42", "app.kubernetes.io/instance", "hijack");
            s.resources = new ResourceRequirementsBuilder()
                    .addToRequests("cpu", new Quantity("500m"))
                    .build();
            s.queue = new QueueSpec();
            s.queue.endpoint = "http://elasticmq:9324";
            s.serviceAccount = new ServiceAccountSpec();
            s.serviceAccount.name = "existing-sa";
        });
        Deployment d = DeploymentModel.build(EventSinkModel.fromCrd(es), Fixtures.QUEUE, "eu-west-1");
        var pod = d.getSpec().getTemplate();
        assertThat(d.getSpec().getReplicas()).isEqualTo(4);
        assertThat(container(d).getImage()).isEqualTo("registry.example/eventsink:1.2.3");
        assertThat(container(d).getImagePullPolicy()).isEqualTo("Always");
        assertThat(pod.getSpec().getImagePullSecrets())
                .extracting(r -> r.getName())
                .containsExactly("regcred");
        assertThat(container(d).getEnv())
                .extracting(EnvVar::getName)
                .containsExactly("SQS_QUEUE_URL", "AWS_REGION", "SQS_ENDPOINT", "JAVA_TOOL_OPTIONS");
        assertThat(pod.getSpec().getNodeSelector()).containsEntry("pool", "ingest");
        assertThat(pod.getSpec().getTolerations()).hasSize(1);
        assertThat(pod.getMetadata().getAnnotations())
                .containsEntry("team", "video")
                .containsKey(DeploymentModel.CONFIG_HASH_ANNOTATION);
        assertThat(pod.getMetadata().getLabels())
                .containsEntry("cost-center", "42")
                .as("the selector label cannot be overridden")
                .containsEntry("app.kubernetes.io/instance", "sink");
        assertThat(container(d).getResources().getRequests()).containsOnlyKeys("cpu");
        assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("existing-sa");
    }
}
