package io.eventsink.charts;

import static io.eventsink.charts.Charts.NAMESPACE;
import static io.eventsink.charts.Charts.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The PrometheusRule of the operator chart: off by default, thresholds from values, documented alerts. */
class PrometheusRuleChartTest {

    static final List<String> ALERTS = List.of(
            "EventSinkDown",
            "EventSinkPodNotReady",
            "EventSinkDeliveryFailing",
            "EventSinkLoadShedding",
            "EventSinkSqsLatencyHigh",
            "EventSinkNoEvents",
            "EventSinkCmcdReportsSkipped",
            "EventSinkOperatorReconcileErrors",
            "EventSinkResourceNotReady");
    private static final String README = "operator/README.md";

    private static Map<String, JsonNode> alerts(List<HasMetadata> resources) {
        Map<String, JsonNode> alerts = new LinkedHashMap<>();
        MonitoringAssets.rules(MonitoringAssets.prometheusRule(resources))
                .forEach(r -> alerts.put(r.path("alert").asText(), r));
        return alerts;
    }

    private static JsonNode defaults() {
        return Charts.yamlTree(Charts.chartDir(OPERATOR).resolve("values.yaml"))
                .path("monitoring")
                .path("prometheusRule");
    }

    @Test
    void theRuleIsOffByDefaultAndOnWithTheMonitoringCiValues() {
        assertThat(MonitoringAssets.prometheusRules(Charts.render(OPERATOR))).isEmpty();
        JsonNode rule = MonitoringAssets.prometheusRule(Charts.renderWithValues(
                OPERATOR, Charts.chartDir(OPERATOR).resolve("ci").resolve("monitoring-values.yaml")));
        assertThat(rule.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(rule.path("metadata").path("namespace").asText()).isEqualTo(NAMESPACE);
        assertThat(rule.path("metadata").path("labels").path("release").asText())
                .isEqualTo("kube-prometheus-stack");
        assertThat(MonitoringAssets.rules(rule))
                .allSatisfy(
                        r -> assertThat(r.path("labels").path("team").asText()).isEqualTo("platform"));
    }

    @Test
    void everyAlertOfTheIssueIsThereWithSeveritySummaryDescriptionAndDuration() {
        Map<String, JsonNode> alerts = alerts(MonitoringAssets.renderEnabled());
        assertThat(alerts.keySet()).containsExactlyElementsOf(ALERTS);
        JsonNode defaults = defaults().path("alerts");
        alerts.forEach((name, rule) -> {
            assertThat(rule.path("expr").asText()).as(name).isNotBlank();
            assertThat(rule.path("for").asText())
                    .as(name)
                    .isEqualTo(defaults.path(name).path("for").asText());
            assertThat(rule.path("labels").path("severity").asText())
                    .as(name)
                    .isEqualTo(defaults.path(name).path("severity").asText())
                    .isIn("critical", "warning", "info");
            assertThat(rule.path("annotations").path("summary").asText())
                    .as(name)
                    .isNotBlank();
            assertThat(rule.path("annotations").path("description").asText())
                    .as(name)
                    .isNotBlank();
        });
        assertThat(alerts.get("EventSinkDown").path("labels").path("severity").asText())
                .isEqualTo("critical");
        assertThat(alerts.get("EventSinkDeliveryFailing")
                        .path("labels")
                        .path("severity")
                        .asText())
                .isEqualTo("critical");
    }

    @Test
    void everyRunbookUrlPointsAtASectionOfTheMonitoringDocs() {
        Set<String> anchors = monitoringAnchors();
        String base = defaults().path("runbookBaseUrl").asText();
        assertThat(base).endsWith(README);
        List<String> broken = new ArrayList<>();
        alerts(MonitoringAssets.renderEnabled()).forEach((name, rule) -> {
            String url = rule.path("annotations").path("runbook_url").asText();
            String anchor = url.substring(url.indexOf('#') + 1);
            if (!url.equals(base + "#" + anchor) || !anchors.contains(anchor)) {
                broken.add(name + " -> " + url);
            }
        });
        assertThat(broken)
                .as("runbook links without a section under Monitoring in %s", README)
                .isEmpty();
    }

    @Test
    void thresholdsDurationsAndSeveritiesComeFromValues() {
        Map<String, JsonNode> alerts =
                alerts(MonitoringAssets.renderEnabled(c -> c.set("monitoring.prometheusRule.rateWindow", "2m")
                        .set("monitoring.prometheusRule.alerts.EventSinkDeliveryFailing.failedRatio", "0.02")
                        .set("monitoring.prometheusRule.alerts.EventSinkLoadShedding.ratio", "0.125")
                        .set("monitoring.prometheusRule.alerts.EventSinkSqsLatencyHigh.p99Seconds", "0.25")
                        .set("monitoring.prometheusRule.alerts.EventSinkSqsLatencyHigh.for", "3m")
                        .set("monitoring.prometheusRule.alerts.EventSinkNoEvents.window", "45m")
                        .set("monitoring.prometheusRule.alerts.EventSinkCmcdReportsSkipped.ratio", "0.75")
                        .set("monitoring.prometheusRule.alerts.EventSinkOperatorReconcileErrors.window", "20m")
                        .set("monitoring.prometheusRule.alerts.EventSinkOperatorReconcileErrors.threshold", "3")
                        .set("monitoring.prometheusRule.alerts.EventSinkPodNotReady.severity", "info")));
        assertThat(expr(alerts, "EventSinkDeliveryFailing")).contains("[2m]").endsWith("> 0.02");
        assertThat(alerts.get("EventSinkDeliveryFailing")
                        .path("annotations")
                        .path("description")
                        .asText())
                .contains("threshold 2 %");
        assertThat(expr(alerts, "EventSinkLoadShedding")).contains("[2m]").endsWith("> 0.125");
        assertThat(expr(alerts, "EventSinkSqsLatencyHigh")).contains("[2m]").endsWith("> 0.25");
        assertThat(alerts.get("EventSinkSqsLatencyHigh").path("for").asText()).isEqualTo("3m");
        assertThat(expr(alerts, "EventSinkNoEvents")).contains("[45m]");
        assertThat(expr(alerts, "EventSinkCmcdReportsSkipped")).contains("[2m]").endsWith("> 0.75");
        assertThat(alerts.get("EventSinkCmcdReportsSkipped")
                        .path("annotations")
                        .path("description")
                        .asText())
                .contains("threshold 75 %");
        assertThat(expr(alerts, "EventSinkOperatorReconcileErrors"))
                .contains("[20m]")
                .endsWith("> 3");
        assertThat(alerts.get("EventSinkPodNotReady")
                        .path("labels")
                        .path("severity")
                        .asText())
                .isEqualTo("info");
    }

    @Test
    void theDefaultThresholdsAreTheDocumentedValues() {
        Map<String, JsonNode> alerts = alerts(MonitoringAssets.renderEnabled());
        JsonNode d = defaults().path("alerts");
        String window = "[" + defaults().path("rateWindow").asText() + "]";
        assertThat(expr(alerts, "EventSinkDeliveryFailing"))
                .contains(window)
                .endsWith("> "
                        + d.path("EventSinkDeliveryFailing").path("failedRatio").asText());
        assertThat(expr(alerts, "EventSinkLoadShedding"))
                .endsWith("> " + d.path("EventSinkLoadShedding").path("ratio").asText());
        assertThat(expr(alerts, "EventSinkSqsLatencyHigh"))
                .endsWith("> "
                        + d.path("EventSinkSqsLatencyHigh").path("p99Seconds").asText());
        assertThat(expr(alerts, "EventSinkNoEvents"))
                .contains("[" + d.path("EventSinkNoEvents").path("window").asText() + "]");
        assertThat(expr(alerts, "EventSinkCmcdReportsSkipped"))
                .contains(window)
                .endsWith("> "
                        + d.path("EventSinkCmcdReportsSkipped").path("ratio").asText());
    }

    @Test
    void theCmcdAlertCountsOnlyReportsSkippedForWantOfKeys() {
        // events EPAS has no counterpart for (rr, ad events, ...) are skipped by design: they must not page anyone
        String expr = expr(alerts(MonitoringAssets.renderEnabled()), "EventSinkCmcdReportsSkipped");
        assertThat(expr)
                .contains("eventsink_cmcd_reports_skipped_total{reason=~\"no_session_id|unusable\"}")
                .contains("eventsink_cmcd_reports_received_total")
                .contains("sum by (namespace, eventsink)");
    }

    @Test
    void alertsCanBeSwitchedOffOneByOne() {
        Map<String, JsonNode> alerts = alerts(MonitoringAssets.renderEnabled(
                c -> c.set("monitoring.prometheusRule.alerts.EventSinkNoEvents.enabled", "false")
                        .set("monitoring.prometheusRule.alerts.EventSinkOperatorReconcileErrors.enabled", "false")));
        assertThat(alerts.keySet())
                .containsExactlyElementsOf(ALERTS.stream()
                        .filter(a -> !Set.of("EventSinkNoEvents", "EventSinkOperatorReconcileErrors")
                                .contains(a))
                        .toList());
    }

    @Test
    void namespaceLabelsAndRunbookBaseAreConfigurable() {
        JsonNode rule = MonitoringAssets.prometheusRule(
                MonitoringAssets.renderEnabled(c -> c.set("monitoring.prometheusRule.namespace", "monitoring")
                        .set("monitoring.prometheusRule.labels.release", "prom")
                        .set("monitoring.prometheusRule.runbookBaseUrl", "https://wiki.example.com/eventsink")));
        assertThat(rule.path("metadata").path("namespace").asText()).isEqualTo("monitoring");
        assertThat(rule.path("metadata").path("labels").path("release").asText())
                .isEqualTo("prom");
        assertThat(MonitoringAssets.rules(rule))
                .allSatisfy(r -> assertThat(
                                r.path("annotations").path("runbook_url").asText())
                        .startsWith("https://wiki.example.com/eventsink#"));
    }

    @Test
    void theSchemaRejectsBadMonitoringValues() {
        assertThat(Charts.templateError(
                        OPERATOR, c -> c.set("monitoring.prometheusRule.alerts.EventSinkLoadShedding.ratio", "5")))
                .contains("ratio");
        assertThat(Charts.templateError(
                        OPERATOR, c -> c.set("monitoring.prometheusRule.alerts.EventSinkDown.for", "soon")))
                .contains("for");
        assertThat(Charts.templateError(
                        OPERATOR, c -> c.set("monitoring.prometheusRule.alerts.EventSinkDown.severity", "page")))
                .contains("severity");
        assertThat(Charts.templateError(
                        OPERATOR, c -> c.set("monitoring.prometheusRule.alerts.EventSinkDwn.for", "1m")))
                .as("unknown alert names (typos) are rejected")
                .contains("EventSinkDwn");
        assertThat(Charts.templateError(OPERATOR, c -> c.set("monitoring.prometheusRule.rateWindow", "5 minutes")))
                .contains("rateWindow");
        assertThat(Charts.templateError(OPERATOR, c -> c.set("monitoring.dashboard.enabled", "yes")))
                .contains("enabled");
        assertThat(Charts.templateError(OPERATOR, c -> c.set("monitoring.dashboard.label", "not a label")))
                .contains("label");
    }

    private static String expr(Map<String, JsonNode> alerts, String name) {
        return alerts.get(name).path("expr").asText().strip();
    }

    /** GitHub's anchors of the headings in the "Monitoring" section of operator/README.md. */
    static Set<String> monitoringAnchors() {
        List<String> lines =
                Charts.read(Charts.repoRoot().resolve(README)).lines().toList();
        int start = lines.indexOf("## Monitoring");
        assertThat(start).as("%s has a ## Monitoring section", README).isNotNegative();
        Set<String> anchors = new TreeSet<>();
        anchors.add("monitoring");
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            if (line.startsWith("###")) {
                anchors.add(githubAnchor(line.replaceFirst("^#+\\s*", "")));
            }
        }
        return anchors;
    }

    static String githubAnchor(String heading) {
        return heading.strip()
                .toLowerCase(Locale.ROOT)
                .codePoints()
                .filter(c -> Character.isLetterOrDigit(c) || c == ' ' || c == '-' || c == '_')
                .mapToObj(c -> c == ' ' ? "-" : Character.toString(c))
                .collect(Collectors.joining());
    }
}
