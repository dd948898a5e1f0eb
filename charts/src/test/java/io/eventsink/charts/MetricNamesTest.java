package io.eventsink.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventsink.embeddedsqs.EmbeddedSqs;
import io.eventsink.service.EventSinkServer;
import io.eventsink.service.Settings;
import io.helidon.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every series the dashboard and the alert rules read exists: the real service, with a real ElasticMQ, gets
 * valid, invalid and shed traffic and a CMCD report it skips, and its /metrics must export every eventsink_* series the PromQL uses.
 * The operator's series are listed here and checked against a running operator by the operator module's
 * tests; kube-state-metrics' HPA series and {@code up} are the only other names allowed.
 */
class MetricNamesTest {

    /** Series from outside EventSink: Prometheus's own {@code up}, and kube-state-metrics (kube-prometheus-stack ships it). */
    static final Set<String> EXTERNAL_SERIES = Set.of(
            "up",
            "kube_horizontalpodautoscaler_status_current_replicas",
            "kube_horizontalpodautoscaler_status_desired_replicas",
            "kube_horizontalpodautoscaler_spec_max_replicas");

    /** The operator's series the PromQL reads (Java Operator SDK 5.2.3 micrometer-support, and our own). */
    static final Set<String> OPERATOR_SERIES = Set.of(
            "operator_sdk_reconciliations_started_total",
            "operator_sdk_reconciliations_success_total",
            "operator_sdk_reconciliations_failed_total",
            "operator_sdk_controllers_execution_reconcile_seconds_bucket",
            "operator_sdk_reconciliations_queue_size_eventsink",
            "operator_sdk_reconciliations_executions_eventsink",
            "eventsink_operator_eventsink_condition",
            "eventsink_operator_sqs_calls_total",
            "eventsink_operator_queue_errors_total");

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private static EmbeddedSqs sqs;
    private static String queueUrl;
    private static GatedTcpProxy gate;
    private static EventSinkServer sink;
    private static final Map<Integer, Integer> STATUSES = new TreeMap<>();
    private static String exposition;

    @BeforeAll
    static void runTheServiceWithValidInvalidAndShedTraffic() throws Exception {
        // The service reads the standard AWS credential chain; ElasticMQ accepts anything.
        System.setProperty("aws.accessKeyId", EmbeddedSqs.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", EmbeddedSqs.SECRET_KEY);
        sqs = EmbeddedSqs.start();
        queueUrl = sqs.createQueue("monitoring");
        // SQS behind a gate: closing it stalls SendMessageBatch, so requests stay in progress.
        gate = new GatedTcpProxy(sqs.port());
        sink = EventSinkServer.start(Settings.load(
                Config.create(),
                Map.of(
                        "HOST", "127.0.0.1",
                        "PORT", "0",
                        "MANAGEMENT_PORT", "0",
                        "SQS_QUEUE_URL", queueUrl,
                        "SQS_ENDPOINT", "http://127.0.0.1:" + gate.port(),
                        "AWS_REGION", EmbeddedSqs.REGION,
                        "MAX_CONCURRENT_REQUESTS", "1",
                        "DELIVERY_TIMEOUT_MS", "60000")));

        // valid events of several types: 200
        for (String type : List.of("init", "heartbeat", "loading", "loaded", "playing", "paused")) {
            record(post(event(type, "valid-" + type)));
        }
        // invalid events: an unknown type, a wrong field type, a malformed body, an empty body: 400
        record(post(event("pause", "invalid-1")));
        record(
                post(
                        "{\"event\":\"heartbeat\",\"sessionId\":\"invalid-2\",\"timestamp\":\"now\",\"playhead\":0,\"duration\":0}"));
        record(post("{\"event\":"));
        record(post(""));
        // a CMCD report of a player that sends no sid (dash.js's default event target): 204, skipped and counted
        record(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sink.port() + "/cmcd"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/cmcd")
                .POST(HttpRequest.BodyPublishers.ofString("e=t,ts=1767225600000,v=2"))
                .build()));
        // shed: hold SQS, so one request stays in progress; with MAX_CONCURRENT_REQUESTS=1 the next gets 503
        gate.hold();
        CompletableFuture<HttpResponse<String>> held =
                CompletableFuture.supplyAsync(() -> post(event("heartbeat", "held-1")));
        await().atMost(Duration.ofSeconds(30)).until(() -> sample("eventsink_events_pending") >= 1);
        HttpResponse<String> shed = post(event("heartbeat", "shed-1"));
        record(shed);
        gate.release();
        record(held.get());
        // everything acknowledged reached the queue before the scrape
        await().atMost(Duration.ofSeconds(30)).until(() -> sample("eventsink_events_pending") == 0);
        exposition = management("/metrics").body();
    }

    @AfterAll
    static void stop() {
        if (sink != null) {
            sink.shutdown();
        }
        if (gate != null) {
            gate.close();
        }
        if (sqs != null) {
            sqs.close();
        }
    }

    @Test
    void theTrafficWasValidInvalidAndShed() {
        assertThat(STATUSES).as("answers by status").containsOnlyKeys(200, 204, 400, 503);
        assertThat(STATUSES.get(200)).isEqualTo(7);
        assertThat(STATUSES.get(204)).isEqualTo(1);
        assertThat(STATUSES.get(400)).isEqualTo(4);
        assertThat(STATUSES.get(503)).isEqualTo(1);
        assertThat(sqs.approximateCount(queueUrl))
                .as("every acknowledged event is in the queue")
                .isEqualTo(7);
    }

    @Test
    void everyServiceSeriesTheDashboardAndTheRulesReadIsExported() {
        Set<String> exported = PromQl.exportedSeriesNames(exposition);
        Map<String, Set<String>> readBy = referencedSeries();
        List<String> missing = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        readBy.forEach((series, where) -> {
            if (EXTERNAL_SERIES.contains(series) || OPERATOR_SERIES.contains(series)) {
                return;
            }
            if (!series.startsWith("eventsink_") || isOperatorSeries(series)) {
                unknown.add(series + " (read by " + where + ")");
            } else if (!exported.contains(series)) {
                missing.add(series + " (read by " + where + ")");
            }
        });
        assertThat(unknown)
                .as("series that are neither the service's, nor listed operator series, nor allowed external ones")
                .isEmpty();
        assertThat(missing)
                .as(
                        "series the PromQL reads but the service does not export; it exports:\n%s",
                        String.join("\n", exported))
                .isEmpty();
    }

    @Test
    void theListedOperatorAndExternalSeriesAreAllInUse() {
        Set<String> read = referencedSeries().keySet();
        assertThat(read).containsAll(OPERATOR_SERIES).containsAll(EXTERNAL_SERIES);
    }

    @Test
    void theServiceExportsEveryMetricOfTheContract() {
        Set<String> families = PromQl.exportedSeriesNames(exposition).stream()
                .map(PromQl::family)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(families)
                .contains(
                        "eventsink_events_accepted_total",
                        "eventsink_events_rejected_total",
                        "eventsink_events_delivered_total",
                        "eventsink_events_failed_total",
                        "eventsink_events_retried_total",
                        "eventsink_events_pending",
                        "eventsink_batch_size",
                        "eventsink_sqs_call_seconds",
                        "eventsink_http_request_seconds",
                        "eventsink_ready");
        assertThat(exposition)
                .contains("eventsink_events_rejected_total{reason=\"overloaded\"")
                .contains("eventsink_events_rejected_total{reason=\"invalid_event\"")
                .contains("eventsink_events_accepted_total{event=\"heartbeat\"")
                .contains("eventsink_cmcd_reports_skipped_total{reason=\"no_session_id\"")
                .containsPattern("eventsink_http_request_seconds_bucket\\{[^}]*status=\"503\"")
                .containsPattern("eventsink_sqs_call_seconds_bucket\\{[^}]*outcome=\"ok\"");
    }

    /** Every series name read by the dashboard (targets and variables) and the rules, with where it is read. */
    static Map<String, Set<String>> referencedSeries() {
        var resources = MonitoringAssets.renderEnabled();
        JsonNode dashboard = MonitoringAssets.dashboard(MonitoringAssets.dashboardConfigMap(resources));
        List<MonitoringAssets.Expression> expressions =
                new ArrayList<>(MonitoringAssets.dashboardExpressions(dashboard));
        expressions.addAll(MonitoringAssets.ruleExpressions(MonitoringAssets.prometheusRule(resources)));
        Map<String, Set<String>> readBy = new TreeMap<>();
        for (MonitoringAssets.Expression e : expressions) {
            PromQl.metricNames(e.promql())
                    .forEach(
                            n -> readBy.computeIfAbsent(n, k -> new TreeSet<>()).add(e.where()));
        }
        MonitoringAssets.variableMetricNames(dashboard)
                .forEach(n -> readBy.computeIfAbsent(n, k -> new TreeSet<>()).add("dashboard variables"));
        return readBy;
    }

    private static boolean isOperatorSeries(String series) {
        return series.startsWith("eventsink_operator_") || series.startsWith("operator_sdk_");
    }

    private static String event(String type, String sessionId) {
        return "{\"event\":\"" + type + "\",\"sessionId\":\"" + sessionId
                + "\",\"timestamp\":1700000000000,\"playhead\":0,\"duration\":600000}";
    }

    private static synchronized void record(HttpResponse<String> response) {
        STATUSES.merge(response.statusCode(), 1, Integer::sum);
    }

    private static double sample(String name) {
        return management("/metrics")
                .body()
                .lines()
                .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static HttpResponse<String> post(String body) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sink.port() + "/"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private static HttpResponse<String> management(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sink.managementPort() + path))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
