package io.eventsink.charts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Assertions shared by the chart tests: hardened pods and RBAC rules. */
final class Hardening {

    private Hardening() {}

    /** Every pod template of every workload in the rendered chart. */
    static Map<String, PodSpec> podSpecs(List<HasMetadata> resources) {
        Map<String, PodSpec> specs = new java.util.LinkedHashMap<>();
        for (HasMetadata r : resources) {
            if (r instanceof Deployment d) {
                specs.put(
                        "Deployment/" + d.getMetadata().getName(),
                        d.getSpec().getTemplate().getSpec());
            } else if (r instanceof Job j) {
                specs.put(
                        "Job/" + j.getMetadata().getName(),
                        j.getSpec().getTemplate().getSpec());
            }
        }
        return specs;
    }

    /** Non-root, seccomp RuntimeDefault, read-only root FS, no privilege escalation, ALL capabilities dropped, resources set. */
    static void assertHardened(String where, PodSpec pod) {
        PodSecurityContext podSc = pod.getSecurityContext();
        assertThat(podSc).as("%s pod securityContext", where).isNotNull();
        assertThat(podSc.getRunAsNonRoot()).as("%s pod runAsNonRoot", where).isTrue();
        assertThat(podSc.getRunAsUser())
                .as("%s pod runAsUser", where)
                .isNotNull()
                .isPositive();
        assertThat(podSc.getSeccompProfile().getType())
                .as("%s pod seccomp", where)
                .isEqualTo("RuntimeDefault");
        List<Container> containers = new ArrayList<>(pod.getContainers());
        if (pod.getInitContainers() != null) {
            containers.addAll(pod.getInitContainers());
        }
        assertThat(containers).as("%s containers", where).isNotEmpty();
        for (Container c : containers) {
            String name = where + " container " + c.getName();
            SecurityContext sc = c.getSecurityContext();
            assertThat(sc).as("%s securityContext", name).isNotNull();
            assertThat(sc.getAllowPrivilegeEscalation())
                    .as("%s allowPrivilegeEscalation", name)
                    .isFalse();
            assertThat(sc.getReadOnlyRootFilesystem())
                    .as("%s readOnlyRootFilesystem", name)
                    .isTrue();
            assertThat(sc.getRunAsNonRoot()).as("%s runAsNonRoot", name).isTrue();
            assertThat(sc.getPrivileged()).as("%s privileged", name).isNotEqualTo(Boolean.TRUE);
            assertThat(sc.getCapabilities().getDrop())
                    .as("%s dropped capabilities", name)
                    .containsExactly("ALL");
            assertThat(sc.getCapabilities().getAdd())
                    .as("%s added capabilities", name)
                    .isNullOrEmpty();
            assertThat(sc.getSeccompProfile().getType()).as("%s seccomp", name).isEqualTo("RuntimeDefault");
            assertThat(c.getResources().getRequests())
                    .as("%s resource requests", name)
                    .containsKeys("cpu", "memory");
            assertThat(c.getResources().getLimits())
                    .as("%s resource limits", name)
                    .containsKey("memory");
            assertThat(c.getVolumeMounts())
                    .as("%s writable /tmp", name)
                    .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
        }
        assertThat(pod.getHostNetwork()).as("%s hostNetwork", where).isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getHostPID()).as("%s hostPID", where).isNotEqualTo(Boolean.TRUE);
    }

    /** All rules of all Roles and ClusterRoles in the rendered chart. */
    static List<PolicyRule> allRules(List<HasMetadata> resources) {
        return Stream.concat(
                        Charts.ofType(resources, Role.class).stream().flatMap(r -> r.getRules().stream()),
                        Charts.ofType(resources, ClusterRole.class).stream().flatMap(r -> r.getRules().stream()))
                .toList();
    }

    /** Flattens rules into "group/resource:verb" permissions ("core" for the "" group). */
    static Set<String> permissions(List<PolicyRule> rules) {
        Set<String> permissions = new TreeSet<>();
        for (PolicyRule rule : rules) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        permissions.add((group.isEmpty() ? "core" : group) + "/" + resource + ":" + verb);
                    }
                }
            }
        }
        return permissions;
    }

    static void assertNoWildcards(String where, List<PolicyRule> rules) {
        for (PolicyRule rule : rules) {
            for (List<String> field : Stream.of(
                            rule.getApiGroups(),
                            rule.getResources(),
                            rule.getVerbs(),
                            rule.getResourceNames(),
                            rule.getNonResourceURLs())
                    .toList()) {
                if (field != null) {
                    assertThat(field).as("%s rule %s", where, rule).noneMatch(s -> s.contains("*"));
                }
            }
            assertThat(rule.getNonResourceURLs())
                    .as("%s nonResourceURLs", where)
                    .isNullOrEmpty();
            assertThat(rule.getApiGroups()).as("%s apiGroups", where).isNotEmpty();
            assertThat(rule.getResources()).as("%s resources", where).isNotEmpty();
            assertThat(rule.getVerbs()).as("%s verbs", where).isNotEmpty();
        }
    }

    private static final List<String> CRUD = List.of("get", "list", "watch", "create", "update", "patch", "delete");

    /** operator/README.md "Kubernetes RBAC", minus the leader-election lease. */
    static Set<String> expectedWatchPermissions() {
        List<PolicyRule> rules = List.of(
                rule("eventsink.io", "eventsinks", "get", "list", "watch", "patch", "update"),
                rule("eventsink.io", "eventsinks/status", "get", "patch", "update"),
                rule("eventsink.io", "eventsinks/finalizers", "update"),
                rule("", "serviceaccounts", CRUD.toArray(String[]::new)),
                rule("", "configmaps", CRUD.toArray(String[]::new)),
                rule("", "services", CRUD.toArray(String[]::new)),
                rule("apps", "deployments", CRUD.toArray(String[]::new)),
                rule("autoscaling", "horizontalpodautoscalers", CRUD.toArray(String[]::new)),
                rule("policy", "poddisruptionbudgets", CRUD.toArray(String[]::new)),
                rule("networking.k8s.io", "ingresses", CRUD.toArray(String[]::new)),
                rule("monitoring.coreos.com", "servicemonitors", CRUD.toArray(String[]::new)),
                rule("", "events", "create"));
        return permissions(rules);
    }

    /** The leader-election permissions (namespaced to the operator namespace). */
    static Set<String> expectedLeasePermissions() {
        return permissions(List.of(rule("coordination.k8s.io", "leases", "get", "create", "update")));
    }

    private static PolicyRule rule(String group, String resource, String... verbs) {
        PolicyRule rule = new PolicyRule();
        rule.setApiGroups(List.of(group));
        rule.setResources(List.of(resource));
        rule.setVerbs(List.of(verbs));
        return rule;
    }
}
