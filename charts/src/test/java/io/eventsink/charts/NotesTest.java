package io.eventsink.charts;

import static io.eventsink.charts.Charts.LOADTEST;
import static io.eventsink.charts.Charts.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** NOTES.txt is not part of `helm template`: render it through a client-only dry-run install. */
class NotesTest {

    static String notes(String chart, Path valuesFile) {
        InstallCommand install = new Helm(Charts.chartDir(chart))
                .install()
                .withName(Charts.RELEASE)
                .withNamespace(Charts.NAMESPACE)
                .withKubeVersion(Charts.KUBE_VERSION)
                .dryRun()
                .withDryRunOption(DryRun.CLIENT)
                .clientOnly();
        if (valuesFile != null) {
            install.withValuesFile(valuesFile);
        }
        String output = install.call().getOutput();
        assertThat(output).contains("NOTES:");
        return output.substring(output.indexOf("NOTES:"));
    }

    static Stream<Path> allCiValues() {
        return Stream.concat(Charts.ciValuesFiles(OPERATOR).stream(), Charts.ciValuesFiles(LOADTEST).stream());
    }

    @ParameterizedTest
    @MethodSource("allCiValues")
    void notesRenderWithEveryCiValuesFile(Path values) {
        String chart = values.getParent().getParent().getFileName().toString();
        assertThat(notes(chart, values)).contains("kubectl -n " + Charts.NAMESPACE);
    }

    @Test
    void operatorNotesTellWhatToDoNext() {
        String notes = notes(OPERATOR, null);
        assertThat(notes)
                .contains(
                        "rollout status deployment/es-eventsink-operator",
                        "kubectl get crd eventsinks.eventsink.io",
                        "kubectl get eventsinks -A",
                        "kubectl describe eventsink",
                        "kubectl apply -f operator/examples/eventsink-minimal.yaml",
                        "charts/eventsink-loadtest",
                        "all namespaces (cluster-scoped RBAC)");
        String namespaced = notes(OPERATOR, Charts.chartDir(OPERATOR).resolve("ci/namespaced-values.yaml"));
        assertThat(namespaced)
                .contains(
                        "namespaces team-a, team-b (namespaced RBAC)",
                        "IRSA: ServiceAccount \"es-eventsink-operator\" assumes arn:aws:iam::123456789012:role/eventsink-operator",
                        "change its\n   metadata.namespace to one of team-a, team-b");
    }

    @Test
    void loadtestNotesTellHowToFollowTheRunAndFetchTheResults() {
        String notes = notes(LOADTEST, null);
        assertThat(notes)
                .contains(
                        "logs -f job/es-eventsink-loadtest-master",
                        "wait --for=condition=complete",
                        "===== BEGIN eventsink_stats.csv",
                        "--wait --wait-for-jobs");
        String withPvc = notes(LOADTEST, Charts.chartDir(LOADTEST).resolve("ci/all-classes-pvc-values.yaml"));
        assertThat(withPvc).contains("cp -c master", "/results/es", "es-eventsink-loadtest-results");
        String ui = notes(LOADTEST, Charts.chartDir(LOADTEST).resolve("ci/ui-values.yaml"));
        assertThat(ui).contains("port-forward svc/es-eventsink-loadtest-ui 8089");
        assertThat(List.of(ui)).noneMatch(n -> n.contains("job/"));
    }
}
