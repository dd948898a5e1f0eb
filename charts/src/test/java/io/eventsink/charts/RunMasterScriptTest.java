package io.eventsink.charts;

import static io.eventsink.charts.Charts.LOADTEST;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the master wrapper exactly as rendered into the ConfigMap with /bin/sh, with a stand-in for
 * Locust, to prove the Job's result is the load test's exit code and that results reach the log.
 */
class RunMasterScriptTest {

    private static Path script;

    @BeforeAll
    static void extractScript(@TempDir Path dir) throws IOException {
        ConfigMap configMap = Charts.single(Charts.render(LOADTEST), ConfigMap.class);
        script = dir.resolve("run-master.sh");
        Files.writeString(script, configMap.getData().get("run-master.sh"));
    }

    record Run(int exitCode, String output) {}

    private static Run run(Path results, Map<String, String> env, String locustStandIn)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/bin/sh", script.toString(), "/bin/sh", "-c", locustStandIn));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("RESULTS_DIR", results.toString());
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("wrapper finished").isTrue();
        return new Run(process.exitValue(), output);
    }

    private static final String WRITE_RESULTS =
            "printf 'Type,Name,Request Count\\nPOST,/,42\\n' > \"$RESULTS_DIR/eventsink_stats.csv\";"
                    + " printf 'Method,Name,Error,Occurrences\\n' > \"$RESULTS_DIR/eventsink_failures.csv\";"
                    + " echo '<html></html>' > \"$RESULTS_DIR/eventsink-report.html\";";

    @Test
    void aPassingRunExitsZeroAndPrintsTheCsvResults(@TempDir Path tmp) throws Exception {
        Path results = tmp.resolve("results/es");
        Run run = run(results, Map.of(), WRITE_RESULTS + " exit 0");
        assertThat(run.exitCode()).isZero();
        assertThat(run.output())
                .contains(
                        "locust exited with code 0",
                        "===== BEGIN eventsink_stats.csv =====\nType,Name,Request Count\nPOST,/,42\n===== END eventsink_stats.csv =====",
                        "===== BEGIN eventsink_failures.csv =====");
        assertThat(results.resolve("DONE")).exists();
        assertThat(results.resolve("eventsink-report.html")).exists();
        assertThat(Files.readString(results.resolve("exit-code")).trim()).isEqualTo("0");
    }

    @Test
    void aFailedGateIsTheContainerExitCodeAndSoTheJobResult(@TempDir Path tmp) throws Exception {
        Path results = tmp.resolve("results/es");
        Run run = run(results, Map.of(), WRITE_RESULTS + " exit 1");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(Files.readString(results.resolve("exit-code")).trim()).isEqualTo("1");
        Run other = run(tmp.resolve("other"), Map.of(), "exit 3");
        assertThat(other.exitCode()).isEqualTo(3);
    }

    @Test
    void printingToTheLogCanBeTurnedOff(@TempDir Path tmp) throws Exception {
        Run run = run(tmp.resolve("r"), Map.of("RESULTS_PRINT_TO_LOG", "false"), WRITE_RESULTS + " exit 0");
        assertThat(run.exitCode()).isZero();
        assertThat(run.output()).doesNotContain("===== BEGIN");
    }

    @Test
    void theHoldKeepsTheExitCode(@TempDir Path tmp) throws Exception {
        Run run = run(tmp.resolve("r"), Map.of("RESULTS_HOLD_SECONDS", "1"), "exit 2");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("keeping the pod for 1s");
    }
}
