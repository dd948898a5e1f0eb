package io.eventsink.charts;

import static io.eventsink.charts.Charts.LOADTEST;
import static io.eventsink.charts.Charts.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LoadtestChartTest {

    private static final String FULLNAME = "es-eventsink-loadtest";

    static List<Path> ciValues() {
        return Charts.ciValuesFiles(LOADTEST);
    }

    @Test
    void ciValuesFilesExist() {
        assertThat(ciValues()).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void lintIsCleanWithDefaultValues() {
        LintResult result = Charts.lint(Charts.chartDir(LOADTEST));
        assertThat(result.isFailed())
                .as("lint failed: %s", result.getMessages())
                .isFalse();
        assertThat(result.getMessages()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("ciValues")
    void lintIsCleanWithCiValues(Path values, @TempDir Path work) {
        LintResult result = Charts.lintWithValues(LOADTEST, values, work);
        assertThat(result.isFailed())
                .as("lint with %s failed: %s", values, result.getMessages())
                .isFalse();
        assertThat(result.getMessages()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("ciValues")
    void everyCiValuesFileRendersHardenedPods(Path values) {
        List<HasMetadata> resources = Charts.renderWithValues(LOADTEST, values);
        Map<String, PodSpec> pods = Hardening.podSpecs(resources);
        assertThat(pods).hasSize(2);
        pods.forEach((where, pod) -> {
            Hardening.assertHardened(values.getFileName() + " " + where, pod);
            assertThat(pod.getAutomountServiceAccountToken())
                    .as("%s needs no API token", where)
                    .isFalse();
        });
    }

    /**
     * The image's ENTRYPOINT is `locust`; every container sets its command explicitly, so the process
     * started is exactly one `locust` with the chart's arguments (or the wrapper running it).
     */
    @ParameterizedTest
    @MethodSource("allValues")
    void everyContainerStartsLocustExactlyOnce(Path values) {
        List<HasMetadata> resources =
                values == null ? Charts.render(LOADTEST) : Charts.renderWithValues(LOADTEST, values);
        Hardening.podSpecs(resources)
                .forEach((where, pod) -> pod.getContainers().forEach(c -> {
                    List<String> commandLine = new java.util.ArrayList<>(c.getCommand());
                    commandLine.addAll(c.getArgs());
                    assertThat(c.getCommand()).as("%s sets its command", where).isNotEmpty();
                    assertThat(commandLine)
                            .as("%s command line", where)
                            .filteredOn("locust"::equals)
                            .hasSize(1);
                    int locust = commandLine.indexOf("locust");
                    assertThat(commandLine.subList(0, locust))
                            .as("%s runs locust directly or through the wrapper", where)
                            .isIn(List.of(), List.of("/bin/sh", "/opt/eventsink-loadtest/run-master.sh"));
                    assertThat(commandLine.get(locust + 1)).isEqualTo("--locustfile=/mnt/locust/locustfile.py");
                }));
    }

    static Stream<Path> allValues() {
        return Stream.concat(Stream.of((Path) null), ciValues().stream());
    }

    @Test
    void headlessModeRunsMasterAndWorkersAsJobsThatFinish() {
        List<HasMetadata> resources = Charts.render(LOADTEST);
        assertThat(Charts.ofType(resources, Deployment.class)).isEmpty();
        Job master = Charts.named(resources, Job.class, FULLNAME + "-master");
        Job workers = Charts.named(resources, Job.class, FULLNAME + "-worker");

        for (Job job : List.of(master, workers)) {
            assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(3600);
            assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(3600L);
            PodSpec pod = job.getSpec().getTemplate().getSpec();
            assertThat(pod.getRestartPolicy()).isEqualTo("Never");
            Hardening.assertHardened(job.getMetadata().getName(), pod);
            // No sidecar that could keep the Job from completing.
            assertThat(pod.getContainers()).hasSize(1);
            assertThat(pod.getInitContainers()).isNullOrEmpty();
        }
        // The master's exit code is the result: one pod, no retries.
        assertThat(master.getSpec().getBackoffLimit()).isZero();
        assertThat(master.getSpec().getCompletions()).isEqualTo(1);
        assertThat(workers.getSpec().getCompletions()).isEqualTo(2);
        assertThat(workers.getSpec().getParallelism()).isEqualTo(2);

        Container m = master.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(m.getImage()).isEqualTo("ghcr.io/eventsink/eventsink-loadtest:0.1.0");
        assertThat(m.getCommand()).containsExactly("/bin/sh", "/opt/eventsink-loadtest/run-master.sh", "locust");
        // the three kinds of real player traffic: single EPAS events, CMCD reports, batches
        assertThat(m.getArgs())
                .startsWith(
                        "--locustfile=/mnt/locust/locustfile.py",
                        "EventSinkUser",
                        "CmcdEventUser",
                        "BatchEventSinkUser",
                        "--master")
                .contains(
                        "--master",
                        "--headless",
                        "--users=50",
                        "--spawn-rate=10",
                        "--run-time=5m",
                        "--expect-workers=2",
                        "--expect-workers-max-wait=120",
                        "--host=http://eventsink." + NAMESPACE + ".svc:3000",
                        "--csv=/results/es/eventsink",
                        "--csv-full-history",
                        "--html=/results/es/eventsink-report.html",
                        "--exit-code-on-error=0");
        Map<String, String> env = env(m);
        assertThat(env)
                .containsEntry("LOADTEST_MAX_FAILURE_RATIO", "0.01")
                .containsEntry("LOADTEST_MAX_P95_MS", "250")
                .containsEntry("RESULTS_DIR", "/results/es")
                .containsEntry("RESULTS_PRINT_TO_LOG", "true")
                .containsEntry("RESULTS_HOLD_SECONDS", "0")
                .doesNotContainKeys("LOADTEST_MIN_REQUESTS", "LOADTEST_USER_WEIGHTS");
        assertThat(m.getVolumeMounts())
                .anySatisfy(v -> assertThat(v.getMountPath()).isEqualTo("/results"));
        assertThat(volume(master, "results").getEmptyDir()).isNotNull();
    }

    @Test
    void workersReachTheMasterThroughAHeadlessServiceThatPublishesNotReadyPods() {
        List<HasMetadata> resources = Charts.render(LOADTEST);
        Service service = Charts.single(resources, Service.class);
        assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(service.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(service.getSpec().getPorts())
                .singleElement()
                .satisfies(p -> assertThat(p.getPort()).isEqualTo(5557));

        Job master = Charts.named(resources, Job.class, FULLNAME + "-master");
        Job workers = Charts.named(resources, Job.class, FULLNAME + "-worker");
        assertThat(master.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(workers.getSpec().getTemplate().getMetadata().getLabels())
                .as("the master Service must not select workers")
                .doesNotContainEntry("app.kubernetes.io/component", "master");
        Container w = workers.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(w.getArgs())
                .contains(
                        "--worker",
                        "--master-host=" + service.getMetadata().getName() + "." + NAMESPACE + ".svc",
                        "--master-port=5557",
                        "--locustfile=/mnt/locust/locustfile.py",
                        "--exit-code-on-error=0");
        assertThat(master.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getPorts())
                .anySatisfy(p -> assertThat(p.getContainerPort()).isEqualTo(5557));
    }

    @Test
    void allUserClassesTagsPvcHoldAndSecretInjection() {
        List<HasMetadata> resources = Charts.renderWithValues(LOADTEST, ci("all-classes-pvc-values.yaml"));
        Job master = Charts.named(resources, Job.class, FULLNAME + "-master");
        Job workers = Charts.named(resources, Job.class, FULLNAME + "-worker");
        Container m = master.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(m.getArgs())
                .startsWith(
                        "--locustfile=/mnt/locust/locustfile.py",
                        "EventSinkUser",
                        "HighVolumeEventSinkUser",
                        "InvalidEventUser",
                        "CmcdEventUser",
                        "BatchEventSinkUser",
                        "--master");
        // --tags takes a variable number of values, so it must come last.
        assertThat(m.getArgs()).endsWith("--tags", "smoke", "ingest");
        assertThat(m.getArgs())
                .contains("--host=https://events.staging.example.com", "--users=500", "--expect-workers=5");
        assertThat(workers.getSpec().getCompletions()).isEqualTo(5);

        for (Job job : List.of(master, workers)) {
            Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
            EnvVar apiKey = c.getEnv().stream()
                    .filter(e -> e.getName().equals("LOADTEST_API_KEY"))
                    .findFirst()
                    .orElseThrow();
            assertThat(apiKey.getValueFrom().getSecretKeyRef().getName()).isEqualTo("loadtest-secrets");
            assertThat(apiKey.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("api-key");
            assertThat(env(c))
                    .containsEntry("RUN_LABEL", Charts.RELEASE)
                    .containsEntry("LOADTEST_MAX_FAILURE_RATIO", "0.02")
                    .containsEntry("LOADTEST_MAX_P95_MS", "400")
                    // master and workers read the same weights (sorted by class name)
                    .containsEntry("LOADTEST_USER_WEIGHTS", "BatchEventSinkUser=2,CmcdEventUser=3,EventSinkUser=4");
            assertThat(c.getEnvFrom())
                    .singleElement()
                    .satisfies(e -> assertThat(e.getSecretRef().getName()).isEqualTo("loadtest-extra-env"));
        }
        assertThat(env(m)).containsEntry("RESULTS_HOLD_SECONDS", "600");

        PersistentVolumeClaim pvc = Charts.single(resources, PersistentVolumeClaim.class);
        assertThat(pvc.getMetadata().getName()).isEqualTo(FULLNAME + "-results");
        assertThat(pvc.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
        assertThat(pvc.getSpec().getStorageClassName()).isEqualTo("gp3");
        assertThat(pvc.getSpec().getResources().getRequests().get("storage").toString())
                .isEqualTo("2Gi");
        assertThat(volume(master, "results").getPersistentVolumeClaim().getClaimName())
                .isEqualTo(pvc.getMetadata().getName());
    }

    @Test
    void userClassWeightsSetTheLocustfilesWeightsOnMasterAndWorkers(@TempDir Path work) throws IOException {
        Path values = Files.writeString(work.resolve("weights.yaml"), """
                locust:
                  userClasses: [CmcdEventUser, BatchEventSinkUser]
                  userClassWeights:
                    CmcdEventUser: 5
                    BatchEventSinkUser: 1
                """);
        List<HasMetadata> resources = Charts.renderWithValues(LOADTEST, values);
        for (Job job : Charts.ofType(resources, Job.class)) {
            Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(env(c))
                    .as(job.getMetadata().getName())
                    .containsEntry("LOADTEST_USER_WEIGHTS", "BatchEventSinkUser=1,CmcdEventUser=5");
        }
        Container m = Charts.named(resources, Job.class, FULLNAME + "-master")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        assertThat(m.getArgs())
                .startsWith(
                        "--locustfile=/mnt/locust/locustfile.py", "CmcdEventUser", "BatchEventSinkUser", "--master");

        // a weight is an integer >= 1 (the locustfile refuses anything else at start)
        for (String weight : List.of("0", "1.5", "-2", "heavy")) {
            Path bad = Files.writeString(
                    work.resolve("bad-weight.yaml"),
                    "locust:\n  userClassWeights:\n    CmcdEventUser: " + weight + "\n");
            assertThat(Charts.templateError(LOADTEST, c -> c.withValuesFile(bad)))
                    .as("weight %s", weight)
                    .contains("userClassWeights");
        }
    }

    @Test
    void uiModeRunsDeploymentsBehindAService() {
        List<HasMetadata> resources = Charts.renderWithValues(LOADTEST, ci("ui-values.yaml"));
        assertThat(Charts.ofType(resources, Job.class)).isEmpty();
        Deployment master = Charts.named(resources, Deployment.class, FULLNAME + "-master");
        Deployment workers = Charts.named(resources, Deployment.class, FULLNAME + "-worker");
        assertThat(master.getSpec().getReplicas()).isEqualTo(1);
        assertThat(workers.getSpec().getReplicas()).isEqualTo(3);
        Container m = master.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(m.getArgs())
                .contains("--master", "--web-port=8089", "--host=http://checkout-events.team-a.svc:8080")
                .doesNotContain("--headless");
        assertThat(m.getArgs()).noneMatch(a -> a.startsWith("--run-time") || a.startsWith("--expect-workers"));
        assertThat(m.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("web");

        Service ui = Charts.named(resources, Service.class, FULLNAME + "-ui");
        assertThat(ui.getSpec().getType()).isEqualTo("LoadBalancer");
        assertThat(ui.getSpec().getPorts())
                .singleElement()
                .satisfies(p -> assertThat(p.getPort()).isEqualTo(8089));
        assertThat(master.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(ui.getSpec().getSelector());
        Service masterService = Charts.named(resources, Service.class, FULLNAME + "-master");
        assertThat(masterService.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(Charts.ofType(resources, PersistentVolumeClaim.class)).isEmpty();
    }

    @Test
    void anExistingLocustfileConfigMapAndClaimCanBeUsed() {
        List<HasMetadata> resources = Charts.renderWithValues(LOADTEST, ci("existing-locustfile-values.yaml"));
        ConfigMap configMap = Charts.single(resources, ConfigMap.class);
        // no locustfile.py of the chart's: the user's replaces it; the package stays (it may import it)
        assertThat(configMap.getData()).containsKey("run-master.sh").doesNotContainKey("locustfile.py");
        Job master = Charts.named(resources, Job.class, FULLNAME + "-master");
        assertThat(volume(master, "locustfile").getProjected().getSources())
                .first()
                .satisfies(s -> {
                    assertThat(s.getConfigMap().getName()).isEqualTo("my-locustfile");
                    assertThat(s.getConfigMap().getItems())
                            .singleElement()
                            .satisfies(i -> assertThat(i.getKey()).isEqualTo("locustfile.py"));
                });
        assertThat(volume(master, "scripts").getConfigMap().getName())
                .isEqualTo(configMap.getMetadata().getName());
        assertThat(volume(master, "results").getPersistentVolumeClaim().getClaimName())
                .isEqualTo("shared-loadtest-results");
        assertThat(Charts.ofType(resources, PersistentVolumeClaim.class))
                .as("existing claim: none created")
                .isEmpty();
        Container m = master.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(m.getArgs().get(1))
                .as("no user class named: the locustfile's default")
                .isEqualTo("--master");
        assertThat(m.getArgs()).noneMatch(a -> a.startsWith("--exit-code-on-error"));
        assertThat(env(m))
                .doesNotContainKeys("LOADTEST_MAX_FAILURE_RATIO", "LOADTEST_MAX_P95_MS")
                .containsEntry("RESULTS_PRINT_TO_LOG", "false");
        assertThat(m.getImage()).endsWith("@sha256:abcdefabcdefabcdefabcdefabcdefabcdefabcdefabcdefabcdefabcdefabcd");
    }

    @Test
    void podsRollWhenTheLocustfileChanges() {
        List<HasMetadata> resources = Charts.render(LOADTEST);
        for (Job job : Charts.ofType(resources, Job.class)) {
            assertThat(job.getSpec().getTemplate().getMetadata().getAnnotations())
                    .containsKey("checksum/config");
        }
    }

    @Test
    void requiredTargetFailsTheTemplate() {
        assertThat(Charts.templateError(LOADTEST, c -> c.set("target.eventSink.name", "")))
                .contains(
                        "target.eventSink.name (the EventSink Service to test) is required when target.host is empty");
        assertThat(Charts.templateError(LOADTEST, c -> c.set("image.repository", "")))
                .contains("image.repository is required");
        // An explicit host makes the EventSink name unnecessary.
        List<HasMetadata> resources = Charts.render(
                LOADTEST, c -> c.set("target.eventSink.name", "").set("target.host", "http://10.0.0.1:3000"));
        assertThat(Charts.named(resources, Job.class, FULLNAME + "-master")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getArgs())
                .contains("--host=http://10.0.0.1:3000");
    }

    @Test
    void schemaRejectsWrongTypes() {
        assertThat(Charts.templateError(LOADTEST, c -> c.set("mode", "interactive")))
                .contains("mode");
        assertThat(Charts.templateError(LOADTEST, c -> c.set("workers.replicas", "0")))
                .contains("replicas");
        assertThat(Charts.templateError(LOADTEST, c -> c.set("locust.users", "many")))
                .contains("users");
        assertThat(Charts.templateError(LOADTEST, c -> c.set("locust.runTime", "five minutes")))
                .contains("runTime");
        assertThat(Charts.templateError(LOADTEST, c -> c.set("gate.maxFailureRatio", "1%")))
                .contains("maxFailureRatio");
        assertThat(Charts.templateError(LOADTEST, c -> c.set("locust.userClasses", "{Not-A-Class}")))
                .contains("userClasses");
        assertThat(Charts.templateError(LOADTEST, c -> c.set("locust.userClassWeights.CmcdEventUser", "0")))
                .as("a weight is at least 1")
                .contains("userClassWeights");
        assertThat(Charts.templateError(LOADTEST, c -> c.set("locust.userClassWeights.CmcdEventUser", "heavy")))
                .contains("userClassWeights");
        assertThat(Charts.templateError(LOADTEST, c -> c.set("locust.userClassWeights.Not-A-Class", "2")))
                .contains("userClassWeights");
        assertThat(Charts.templateError(LOADTEST, c -> c.set("job.ttlSecondsAfterFinished", "soon")))
                .contains("ttlSecondsAfterFinished");
        assertThat(Charts.templateError(LOADTEST, c -> c.set("worker.replicas", "3")))
                .as("unknown keys (typos) are rejected")
                .contains("worker");
    }

    private static Path ci(String name) {
        return Charts.chartDir(LOADTEST).resolve("ci").resolve(name);
    }

    private static Volume volume(Job job, String name) {
        return job.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    private static Map<String, String> env(Container container) {
        return container.getEnv().stream()
                .filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue, (a, b) -> b));
    }
}
