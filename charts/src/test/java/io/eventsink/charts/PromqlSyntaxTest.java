package io.eventsink.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PromQL of the alert rules and of the dashboard parses: {@code promtool check rules} (Prometheus's own
 * parser and rule checker; on Debian/Ubuntu {@code apt-get install prometheus}, which .ci/run does) on the
 * rendered rules, and on the dashboard's queries written as recording rules. Skipped only when no promtool
 * is installed; set -Deventsink.promtool=/path/to/promtool to use another one.
 */
class PromqlSyntaxTest {

    private static Path promtool;

    @BeforeEach
    void findPromtool() {
        promtool = locatePromtool().orElse(null);
        assumeTrue(
                promtool != null,
                "promtool not found (neither -Deventsink.promtool nor on the PATH): install Debian's prometheus package "
                        + "(apt-get install prometheus) to check the PromQL of the chart's rules and dashboard");
    }

    static Optional<Path> locatePromtool() {
        String configured = System.getProperty("eventsink.promtool");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(Stream.of(path.split(java.io.File.pathSeparator)), Stream.of("/usr/bin", "/usr/local/bin"))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, "promtool"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    @Test
    void theRenderedAlertRulesPassPromtool(@TempDir Path dir) {
        JsonNode rule = MonitoringAssets.prometheusRule(MonitoringAssets.renderEnabled());
        ObjectNode file = JsonNodeFactory.instance.objectNode();
        file.set("groups", rule.path("spec").path("groups"));
        Result result = checkRules(dir.resolve("eventsink-rules.yaml"), file);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: " + PrometheusRuleChartTest.ALERTS.size() + " rules found");
    }

    @Test
    void theDashboardQueriesPassPromtoolAsRecordingRules(@TempDir Path dir) {
        JsonNode dashboard =
                MonitoringAssets.dashboard(MonitoringAssets.dashboardConfigMap(MonitoringAssets.renderEnabled()));
        List<MonitoringAssets.Expression> expressions = MonitoringAssets.dashboardExpressions(dashboard);
        assertThat(expressions).hasSizeGreaterThan(30);
        Result result = checkRules(dir.resolve("eventsink-dashboard.yaml"), recordingRules(expressions));
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: " + expressions.size() + " rules found");
    }

    @Test
    void promtoolRejectsABrokenQuery(@TempDir Path dir) {
        // The check above can fail: the same path with one parenthesis missing is refused.
        Result result = checkRules(
                dir.resolve("broken.yaml"),
                recordingRules(List.of(
                        new MonitoringAssets.Expression("broken", "sum(rate(eventsink_events_accepted_total[5m])"))));
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("unclosed left parenthesis");
    }

    private static ObjectNode recordingRules(List<MonitoringAssets.Expression> expressions) {
        ObjectNode file = JsonNodeFactory.instance.objectNode();
        ArrayNode rules =
                file.putArray("groups").addObject().put("name", "dashboard").putArray("rules");
        for (int i = 0; i < expressions.size(); i++) {
            rules.addObject()
                    .put("record", "eventsink_dashboard:query_" + i)
                    .put("expr", expressions.get(i).promql());
        }
        return file;
    }

    record Result(int exitCode, String output) {}

    private static Result checkRules(Path file, JsonNode rules) {
        try {
            Charts.yamlMapper().writeValue(file.toFile(), rules);
            Process process = new ProcessBuilder(promtool.toString(), "check", "rules", file.toString())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("promtool did not finish: " + output);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
