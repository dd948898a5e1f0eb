package io.eventsink.charts;

import static io.eventsink.charts.Charts.NAMESPACE;
import static io.eventsink.charts.Charts.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OperatorChartTest {

    private static final String FULLNAME = "es-eventsink-operator";

    static List<Path> ciValues() {
        return Charts.ciValuesFiles(OPERATOR);
    }

    @Test
    void ciValuesFilesExist() {
        assertThat(ciValues()).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void lintIsCleanWithDefaultValues() {
        LintResult result = Charts.lint(Charts.chartDir(OPERATOR));
        assertThat(result.isFailed())
                .as("lint failed: %s", result.getMessages())
                .isFalse();
        assertThat(result.getMessages()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("ciValues")
    void lintIsCleanWithCiValues(Path values, @TempDir Path work) {
        LintResult result = Charts.lintWithValues(OPERATOR, values, work);
        assertThat(result.isFailed())
                .as("lint with %s failed: %s", values, result.getMessages())
                .isFalse();
        assertThat(result.getMessages()).isEmpty();
    }

    @Test
    void defaultValuesRenderTheExpectedObjects() {
        List<HasMetadata> resources = Charts.render(OPERATOR);
        Set<String> kinds = resources.stream()
                .map(r -> r.getKind() + "/" + r.getMetadata().getName())
                .collect(Collectors.toSet());
        assertThat(kinds)
                .contains(
                        "ServiceAccount/" + FULLNAME,
                        "ClusterRole/" + FULLNAME,
                        "ClusterRoleBinding/" + FULLNAME,
                        "Role/" + FULLNAME + "-leader-election",
                        "RoleBinding/" + FULLNAME + "-leader-election",
                        "Deployment/" + FULLNAME,
                        "Service/" + FULLNAME + "-metrics",
                        "PodDisruptionBudget/" + FULLNAME);
        assertThat(resources).noneMatch(r -> "ServiceMonitor".equals(r.getKind()));
        // Every namespaced object goes to the release namespace.
        resources.stream()
                .filter(r -> !(r instanceof ClusterRole
                        || r instanceof ClusterRoleBinding
                        || r instanceof CustomResourceDefinition))
                .forEach(r -> assertThat(r.getMetadata().getNamespace())
                        .as(r.getKind())
                        .isEqualTo(NAMESPACE));
    }

    @ParameterizedTest
    @MethodSource("ciValues")
    void everyCiValuesFileRendersHardenedPodsAndNoWildcardRbac(Path values) {
        List<HasMetadata> resources = Charts.renderWithValues(OPERATOR, values);
        Deployment deployment = Charts.single(resources, Deployment.class);
        Hardening.assertHardened(
                values.getFileName().toString(),
                deployment.getSpec().getTemplate().getSpec());
        Hardening.assertNoWildcards(values.getFileName().toString(), Hardening.allRules(resources));
        Set<String> granted = Hardening.permissions(Hardening.allRules(resources));
        Set<String> allowed = new HashSet<>(Hardening.expectedWatchPermissions());
        allowed.addAll(Hardening.expectedLeasePermissions());
        assertThat(allowed).as("permissions granted with %s", values).containsAll(granted);
    }

    @Test
    void deploymentIsHardenedAndWiredToTheConventions() {
        List<HasMetadata> resources = Charts.render(OPERATOR);
        Deployment deployment = Charts.single(resources, Deployment.class);
        var pod = deployment.getSpec().getTemplate().getSpec();
        Hardening.assertHardened("default", pod);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
        assertThat(pod.getServiceAccountName()).isEqualTo(FULLNAME);
        assertThat(pod.getVolumes()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("tmp");
            assertThat(v.getEmptyDir()).isNotNull();
        });
        Container operator = pod.getContainers().get(0);
        assertThat(operator.getImage()).isEqualTo("ghcr.io/eventsink/eventsink-operator:0.1.0");
        assertThat(operator.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("metrics");
            assertThat(p.getContainerPort()).isEqualTo(8081);
        });
        Map<String, EnvVar> env = env(operator);
        assertThat(env.get("WATCH_NAMESPACES").getValue()).isEmpty();
        assertThat(env.get("LEADER_ELECTION_ENABLED").getValue()).isEqualTo("true");
        assertThat(env.get("LEADER_ELECTION_NAMESPACE").getValue()).isEqualTo(NAMESPACE);
        assertThat(env.get("OPERATOR_MANAGEMENT_PORT").getValue()).isEqualTo("8081");
        assertThat(env.get("LOG_LEVEL").getValue()).isEqualTo("INFO");
        assertThat(env.get("POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("metadata.namespace");
        assertThat(env).doesNotContainKey("AWS_REGION");
        assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/live");
        assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
        assertThat(operator.getStartupProbe().getHttpGet().getPath()).isEqualTo("/health/live");
        // Two replicas are spread over nodes unless the user sets an affinity.
        assertThat(pod.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())
                .isNotEmpty();
    }

    @Test
    void allNamespacesMeansClusterScopedRbacWithExactlyTheConventionPermissions() {
        List<HasMetadata> resources = Charts.render(OPERATOR);
        ClusterRole clusterRole = Charts.single(resources, ClusterRole.class);
        Hardening.assertNoWildcards("ClusterRole", clusterRole.getRules());
        assertThat(Hardening.permissions(clusterRole.getRules())).isEqualTo(Hardening.expectedWatchPermissions());

        ClusterRoleBinding binding = Charts.single(resources, ClusterRoleBinding.class);
        assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
        assertThat(binding.getRoleRef().getName())
                .isEqualTo(clusterRole.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(s.getName()).isEqualTo(FULLNAME);
            assertThat(s.getNamespace()).isEqualTo(NAMESPACE);
        });

        // Leases only in the operator namespace, through a Role (never cluster-wide).
        Role lease = Charts.single(resources, Role.class);
        assertThat(lease.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
        assertThat(Hardening.permissions(lease.getRules())).isEqualTo(Hardening.expectedLeasePermissions());
        RoleBinding leaseBinding = Charts.single(resources, RoleBinding.class);
        assertThat(leaseBinding.getRoleRef().getName())
                .isEqualTo(lease.getMetadata().getName());
        assertThat(leaseBinding.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    }

    @Test
    void aNamespaceListMeansNamespacedRolesOnlyWithExactlyTheConventionPermissions() {
        List<HasMetadata> resources = Charts.renderWithValues(OPERATOR, ci("namespaced-values.yaml"));
        assertThat(Charts.ofType(resources, ClusterRole.class)).isEmpty();
        assertThat(Charts.ofType(resources, ClusterRoleBinding.class)).isEmpty();

        Map<String, Role> watchRoles = Charts.ofType(resources, Role.class).stream()
                .filter(r -> r.getMetadata().getName().equals(FULLNAME))
                .collect(Collectors.toMap(r -> r.getMetadata().getNamespace(), Function.identity()));
        assertThat(watchRoles).containsOnlyKeys("team-a", "team-b");
        watchRoles.values().forEach(role -> {
            Hardening.assertNoWildcards(role.getMetadata().getNamespace(), role.getRules());
            assertThat(Hardening.permissions(role.getRules())).isEqualTo(Hardening.expectedWatchPermissions());
        });
        List<RoleBinding> watchBindings = Charts.ofType(resources, RoleBinding.class).stream()
                .filter(b -> b.getMetadata().getName().equals(FULLNAME))
                .toList();
        assertThat(watchBindings)
                .extracting(b -> b.getMetadata().getNamespace())
                .containsExactlyInAnyOrder("team-a", "team-b");
        watchBindings.forEach(b -> {
            assertThat(b.getRoleRef().getKind()).isEqualTo("Role");
            assertThat(b.getSubjects()).singleElement().satisfies(s -> {
                assertThat(s.getName()).isEqualTo(FULLNAME);
                assertThat(s.getNamespace()).isEqualTo(NAMESPACE);
            });
        });

        Role lease = Charts.named(resources, Role.class, FULLNAME + "-leader-election");
        assertThat(lease.getMetadata().getNamespace()).isEqualTo("operator-leases");
        assertThat(Hardening.permissions(lease.getRules())).isEqualTo(Hardening.expectedLeasePermissions());

        Map<String, EnvVar> env = env(Charts.single(resources, Deployment.class)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0));
        assertThat(env.get("WATCH_NAMESPACES").getValue()).isEqualTo("team-a,team-b");
        assertThat(env.get("LEADER_ELECTION_NAMESPACE").getValue()).isEqualTo("operator-leases");
        assertThat(env.get("AWS_REGION").getValue()).isEqualTo("eu-west-1");
        assertThat(env.get("EXTRA_RELEASE").getValue())
                .as("extraEnv is templated")
                .isEqualTo(Charts.RELEASE);
    }

    @Test
    void irsaRoleArnBecomesTheServiceAccountAnnotation() {
        ServiceAccount irsa =
                Charts.single(Charts.renderWithValues(OPERATOR, ci("namespaced-values.yaml")), ServiceAccount.class);
        assertThat(irsa.getMetadata().getAnnotations())
                .containsEntry("eks.amazonaws.com/role-arn", "arn:aws:iam::123456789012:role/eventsink-operator")
                .containsEntry("example.com/owner", "platform");
        ServiceAccount plain = Charts.single(Charts.render(OPERATOR), ServiceAccount.class);
        assertThat(plain.getMetadata().getAnnotations()).isNullOrEmpty();
    }

    @Test
    void singleReplicaWithoutLeaderElectionHasNoLeaseRoleNoPdbAndUsesTheExistingServiceAccount() {
        List<HasMetadata> resources = Charts.renderWithValues(OPERATOR, ci("single-replica-values.yaml"));
        assertThat(Charts.ofType(resources, Role.class)).isEmpty();
        assertThat(Charts.ofType(resources, PodDisruptionBudget.class)).isEmpty();
        assertThat(Charts.ofType(resources, ServiceAccount.class)).isEmpty();
        assertThat(Charts.ofType(resources, Service.class)).isEmpty();
        Deployment deployment = Charts.single(resources, Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo("eventsink-operator-preexisting");
        Map<String, EnvVar> env =
                env(deployment.getSpec().getTemplate().getSpec().getContainers().get(0));
        assertThat(env.get("LEADER_ELECTION_ENABLED").getValue()).isEqualTo("false");
        assertThat(env.get("JAVA_TOOL_OPTIONS").getValue()).isEqualTo("-XX:MaxRAMPercentage=70");
        ClusterRoleBinding binding = Charts.single(resources, ClusterRoleBinding.class);
        assertThat(binding.getSubjects().get(0).getName()).isEqualTo("eventsink-operator-preexisting");
    }

    @Test
    void rbacCanBeLeftToThePlatformTeam() {
        List<HasMetadata> resources = Charts.renderWithValues(OPERATOR, ci("minimal-values.yaml"));
        assertThat(Hardening.allRules(resources)).isEmpty();
        assertThat(Charts.ofType(resources, RoleBinding.class)).isEmpty();
        assertThat(Charts.ofType(resources, ClusterRoleBinding.class)).isEmpty();
        var container = Charts.single(resources, Deployment.class)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        assertThat(container.getLivenessProbe()).isNull();
        assertThat(container.getReadinessProbe()).isNull();
    }

    @Test
    void metricsServiceSelectsTheOperatorPodsOnTheManagementPort() {
        List<HasMetadata> resources = Charts.render(OPERATOR);
        Service service = Charts.single(resources, Service.class);
        Deployment deployment = Charts.single(resources, Deployment.class);
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(deployment.getSpec().getSelector().getMatchLabels())
                .isEqualTo(service.getSpec().getSelector());
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("metrics");
            assertThat(p.getPort()).isEqualTo(8081);
            assertThat(p.getTargetPort().getStrVal()).isEqualTo("metrics");
        });
        PodDisruptionBudget pdb = Charts.single(resources, PodDisruptionBudget.class);
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
        assertThat(pdb.getSpec().getUnhealthyPodEvictionPolicy()).isEqualTo("AlwaysAllow");
        assertThat(pdb.getSpec().getSelector().getMatchLabels())
                .isEqualTo(service.getSpec().getSelector());
    }

    @Test
    void serviceMonitorAndPinnedDigestAreOptional() {
        List<HasMetadata> resources = Charts.renderWithValues(OPERATOR, ci("namespaced-values.yaml"));
        GenericKubernetesResource monitor = Charts.single(resources, GenericKubernetesResource.class);
        assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.getKind()).isEqualTo("ServiceMonitor");
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
        assertThat(monitor.<String>get("spec", "endpoints", 0, "port")).isEqualTo("metrics");
        assertThat(monitor.<String>get("spec", "endpoints", 0, "path")).isEqualTo("/metrics");
        assertThat(Charts.single(resources, Deployment.class)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo("ghcr.io/eventsink/eventsink-operator@sha256:"
                        + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        PodDisruptionBudget pdb = Charts.single(resources, PodDisruptionBudget.class);
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(pdb.getSpec().getMinAvailable()).isNull();
    }

    @Test
    void twoReplicasWithoutLeaderElectionAreRejected() {
        String error = Charts.templateError(OPERATOR, c -> c.set("leaderElection.enabled", "false"));
        assertThat(error).contains("replicaCount > 1 requires leaderElection.enabled=true");
    }

    @Test
    void requiredValuesFailTheTemplate() {
        assertThat(Charts.templateError(OPERATOR, c -> c.set("serviceAccount.create", "false")))
                .contains("serviceAccount.name is required when serviceAccount.create=false");
        assertThat(Charts.templateError(OPERATOR, c -> c.set("image.repository", "")))
                .contains("image.repository is required");
        assertThat(Charts.templateError(
                        OPERATOR,
                        c -> c.set("metrics.serviceMonitor.enabled", "true").set("metrics.service.enabled", "false")))
                .contains("metrics.serviceMonitor.enabled=true requires metrics.service.enabled=true");
    }

    @Test
    void schemaRejectsWrongTypes() {
        assertThat(Charts.templateError(OPERATOR, c -> c.set("replicaCount", "two")))
                .contains("replicaCount");
        assertThat(Charts.templateError(OPERATOR, c -> c.set("leaderElection.enabled", "yes")))
                .contains("leaderElection");
        assertThat(Charts.templateError(OPERATOR, c -> c.set("watchNamespaces", "team-a")))
                .contains("watchNamespaces");
        assertThat(Charts.templateError(OPERATOR, c -> c.set("logLevel", "LOUD")))
                .contains("logLevel");
        assertThat(Charts.templateError(OPERATOR, c -> c.set("serviceAccount.iamRoleArn", "my-role")))
                .contains("iamRoleArn");
        assertThat(Charts.templateError(OPERATOR, c -> c.set("replicas", "2")))
                .as("unknown keys (typos) are rejected")
                .contains("replicas");
    }

    private static Path ci(String name) {
        return Charts.chartDir(OPERATOR).resolve("ci").resolve(name);
    }

    private static Map<String, EnvVar> env(Container container) {
        return container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, Function.identity()));
    }
}
