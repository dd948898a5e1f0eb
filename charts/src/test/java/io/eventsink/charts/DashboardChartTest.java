package io.eventsink.charts;

import static io.eventsink.charts.Charts.NAMESPACE;
import static io.eventsink.charts.Charts.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard shipped by the operator chart: its ConfigMap and the dashboard's structure. */
class DashboardChartTest {

    private static final List<String> ROWS =
            List.of("Ingest", "Delivery", "Latency", "Capacity", "Connections", "CMCD", "Queue cost", "Operator");
    /** A service series in PromQL with its label matchers, if any (the operator's series are excluded). */
    private static final Pattern SERVICE_SELECTOR = Pattern.compile("\\b(eventsink_(?!operator_)\\w+)(\\{[^}]*})?");

    private static JsonNode dashboard() {
        return MonitoringAssets.dashboard(MonitoringAssets.dashboardConfigMap(MonitoringAssets.renderEnabled()));
    }

    @Test
    void theDashboardIsOffByDefaultAndOnWithTheMonitoringCiValues() {
        assertThat(MonitoringAssets.dashboardConfigMaps(Charts.render(OPERATOR)))
                .isEmpty();
        List<HasMetadata> on = Charts.renderWithValues(
                OPERATOR, Charts.chartDir(OPERATOR).resolve("ci").resolve("monitoring-values.yaml"));
        ConfigMap configMap = MonitoringAssets.dashboardConfigMap(on);
        assertThat(configMap.getMetadata().getAnnotations()).containsEntry("grafana_folder", "EventSink");
    }

    @Test
    void theConfigMapCarriesTheSidecarLabelAndTheDashboardFileUnchanged() {
        ConfigMap configMap = MonitoringAssets.dashboardConfigMap(MonitoringAssets.renderEnabled());
        assertThat(configMap.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
        assertThat(configMap.getMetadata().getLabels())
                .containsEntry("grafana_dashboard", "1")
                .containsEntry("app.kubernetes.io/part-of", "eventsink");
        assertThat(configMap.getData()).containsOnlyKeys(MonitoringAssets.DASHBOARD_KEY);
        assertThat(configMap.getData().get(MonitoringAssets.DASHBOARD_KEY))
                .isEqualTo(Charts.read(MonitoringAssets.dashboardFile()).stripTrailing());
    }

    @Test
    void labelNamespaceAndAnnotationsAreConfigurable() {
        ConfigMap configMap = MonitoringAssets.dashboardConfigMap(
                MonitoringAssets.renderEnabled(c -> c.set("monitoring.dashboard.label", "example.com/dashboard")
                        .set("monitoring.dashboard.labelValue", "eventsink")
                        .set("monitoring.dashboard.namespace", "monitoring")
                        .set("monitoring.dashboard.labels.team", "video")));
        assertThat(configMap.getMetadata().getLabels())
                .containsEntry("example.com/dashboard", "eventsink")
                .containsEntry("team", "video")
                .doesNotContainKey("grafana_dashboard");
        assertThat(configMap.getMetadata().getNamespace()).isEqualTo("monitoring");
    }

    @Test
    void variablesSelectDatasourceNamespaceEventSinkAndPod() {
        JsonNode dashboard = dashboard();
        assertThat(dashboard.path("uid").asText()).isEqualTo("eventsink");
        assertThat(MonitoringAssets.variableNames(dashboard))
                .containsExactly("datasource", "namespace", "eventsink", "pod", "sqs_price_per_million");
        JsonNode variables = dashboard.path("templating").path("list");
        assertThat(variables.get(0).path("type").asText()).isEqualTo("datasource");
        assertThat(variables.get(0).path("query").asText()).isEqualTo("prometheus");
        // the price the cost estimate uses: a number anyone can change, US dollars per million requests
        JsonNode price = variables.get(4);
        assertThat(price.path("type").asText()).isEqualTo("textbox");
        assertThat(Double.parseDouble(price.path("query").asText())).isPositive();
        for (int i = 1; i < 4; i++) {
            JsonNode v = variables.get(i);
            assertThat(v.path("type").asText()).isEqualTo("query");
            assertThat(v.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
            assertThat(v.path("includeAll").asBoolean()).isTrue();
            assertThat(v.path("multi").asBoolean()).isTrue();
            // "All" must also match series without the label (e.g. scraped without the EventSink's ServiceMonitor)
            assertThat(v.path("allValue").asText()).isEqualTo(".*");
            assertThat(MonitoringAssets.variableQuery(v))
                    .contains(v.path("name").asText());
        }
        // each variable narrows by the ones before it
        assertThat(MonitoringAssets.variableQuery(variables.get(2))).contains("namespace=~\"$namespace\"");
        assertThat(MonitoringAssets.variableQuery(variables.get(3)))
                .contains("namespace=~\"$namespace\"", "eventsink=~\"$eventsink\"");
    }

    @Test
    void rowsComeInOrderAndEveryPanelIsComplete() {
        JsonNode dashboard = dashboard();
        List<String> rows = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode panel : MonitoringAssets.panels(dashboard)) {
            String name = panel.path("id") + " '" + panel.path("title").asText() + "'";
            if (!ids.add(panel.path("id").asInt())) {
                problems.add(name + ": duplicate id");
            }
            if ("row".equals(panel.path("type").asText())) {
                rows.add(panel.path("title").asText());
                continue;
            }
            if (rows.isEmpty()) {
                problems.add(name + ": above the first row");
            }
            if (!"${datasource}".equals(panel.path("datasource").path("uid").asText())) {
                problems.add(name + ": datasource is not ${datasource}");
            }
            if (panel.path("description").asText().isBlank()) {
                problems.add(name + ": no description");
            }
            if (!panel.path("fieldConfig").path("defaults").hasNonNull("unit")) {
                problems.add(name + ": no unit");
            }
            if (panel.path("targets").isEmpty()) {
                problems.add(name + ": no query");
            }
            Set<String> refIds = new HashSet<>();
            for (JsonNode target : panel.path("targets")) {
                if (target.path("expr").asText().isBlank()
                        || !refIds.add(target.path("refId").asText())) {
                    problems.add(name + ": target without expr or with a duplicate refId");
                }
                if (!"${datasource}"
                        .equals(target.path("datasource").path("uid").asText())) {
                    problems.add(name + ": a target's datasource is not ${datasource}");
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(rows).containsExactlyElementsOf(ROWS);
    }

    @Test
    void panelsDoNotOverlapAndFitTheGrid() {
        List<int[]> boxes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode panel : MonitoringAssets.panels(dashboard())) {
            JsonNode g = panel.path("gridPos");
            int x = g.path("x").asInt(),
                    y = g.path("y").asInt(),
                    w = g.path("w").asInt(),
                    h = g.path("h").asInt();
            if (w <= 0 || h <= 0 || x < 0 || x + w > 24) {
                problems.add(panel.path("title").asText() + ": outside the 24-column grid");
            }
            for (int[] b : boxes) {
                if (x < b[0] + b[2] && b[0] < x + w && y < b[1] + b[3] && b[1] < y + h) {
                    problems.add(panel.path("title").asText() + ": overlaps another panel");
                }
            }
            boxes.add(new int[] {x, y, w, h});
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyServiceQueryFiltersByNamespaceEventSinkAndPod() {
        List<String> unfiltered = new ArrayList<>();
        for (JsonNode panel : MonitoringAssets.panels(dashboard())) {
            for (JsonNode target : panel.path("targets")) {
                Matcher m = SERVICE_SELECTOR.matcher(target.path("expr").asText());
                while (m.find()) {
                    String matchers = m.group(2) == null ? "" : m.group(2);
                    if (!(matchers.contains("namespace=~\"$namespace\"")
                            && matchers.contains("eventsink=~\"$eventsink\"")
                            && matchers.contains("pod=~\"$pod\""))) {
                        unfiltered.add(panel.path("title").asText() + ": " + m.group());
                    }
                }
            }
        }
        assertThat(unfiltered).isEmpty();
    }

    @Test
    void theDashboardShowsEveryMetricOfTheContract() {
        Set<String> used = new TreeSet<>();
        MonitoringAssets.dashboardExpressions(dashboard()).forEach(e -> used.addAll(PromQl.metricNames(e.promql())));
        assertThat(used)
                .contains(
                        "eventsink_events_accepted_total",
                        "eventsink_events_rejected_total",
                        "eventsink_events_delivered_total",
                        "eventsink_events_failed_total",
                        "eventsink_events_retried_total",
                        "eventsink_events_pending",
                        "eventsink_batch_size_bucket",
                        "eventsink_sqs_call_seconds_bucket",
                        "eventsink_http_request_seconds_bucket",
                        "eventsink_http_request_seconds_count",
                        "eventsink_ready",
                        "eventsink_cmcd_reports_received_total",
                        "eventsink_cmcd_reports_skipped_total",
                        "eventsink_cmcd_events_produced_total",
                        "eventsink_sqs_billed_requests_total",
                        "eventsink_sqs_message_events_sum",
                        "eventsink_sqs_message_events_count",
                        "eventsink_sqs_payload_bytes_total",
                        "kube_horizontalpodautoscaler_status_current_replicas",
                        "kube_horizontalpodautoscaler_status_desired_replicas",
                        "kube_horizontalpodautoscaler_spec_max_replicas",
                        "operator_sdk_reconciliations_started_total",
                        "operator_sdk_reconciliations_failed_total",
                        "eventsink_operator_eventsink_condition",
                        "eventsink_operator_queue_errors_total");
    }

    @Test
    void latencyPanelsUseSecondsAndRatesUsePerSecondUnits() {
        List<String> wrong = new ArrayList<>();
        for (JsonNode panel : MonitoringAssets.panels(dashboard())) {
            String unit =
                    panel.path("fieldConfig").path("defaults").path("unit").asText();
            String exprs = panel.path("targets").toString();
            boolean quantileOfSeconds = exprs.contains("histogram_quantile") && exprs.contains("_seconds_bucket");
            if (quantileOfSeconds && !unit.equals("s")) {
                wrong.add(panel.path("title").asText() + " shows durations in " + unit);
            }
            // a rate kept up for a 30-day month and priced is an amount of money, not a rate
            boolean monthlyCost = unit.startsWith("currency") && exprs.contains("* 2592000 *");
            if (!quantileOfSeconds
                    && !monthlyCost
                    && exprs.contains("rate(")
                    && !exprs.contains(") / ")
                    && !Set.of("eps", "reqps", "ops", "short").contains(unit)) {
                wrong.add(panel.path("title").asText() + " shows a rate in " + unit);
            }
        }
        assertThat(wrong).isEmpty();
    }
}
