package io.eventsink.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The metric-name extractor the monitoring tests rely on. */
class PromQlTest {

    @Test
    void findsMetricsAndSkipsFunctionsKeywordsLabelsStringsAndDurations() {
        assertThat(PromQl.metricNames("histogram_quantile(0.99, sum by (namespace, le) "
                        + "(rate(eventsink_sqs_call_seconds_bucket{outcome=\"ok\", pod=~\"a|b\"}[5m])))"))
                .containsExactly("eventsink_sqs_call_seconds_bucket");
        assertThat(PromQl.metricNames("sum(rate(a_total[5m])) by (reason) / ignoring(reason) group_left(pod) "
                        + "sum without (pod) (b_total offset 1h30m) > bool 0.5 and on (x) c unless d or e"))
                .containsExactly("a_total", "b_total", "c", "d", "e");
        assertThat(PromQl.metricNames("max_over_time(x[10m:1m]) * -Inf + count(y) + topk(3, z) - 1e3 + 0x1f"))
                .containsExactly("x", "y", "z");
    }

    @Test
    void stringsNeverCountEvenWhenTheyLookLikeMetrics() {
        assertThat(PromQl.metricNames("label_replace(cond{type=\"Ready\"}, \"namespace\", \"$1\", "
                        + "\"exported_namespace\", \"(.+)\") or 'not_a_metric' or `raw_string`"))
                .containsExactly("cond");
    }

    @Test
    void nameMatchersCountOnlyWhenExact() {
        assertThat(PromQl.metricNames("{__name__=\"up\", job=\"x\"} == 0")).containsExactly("up");
        assertThatThrownBy(() -> PromQl.metricNames("{__name__=~\"eventsink_.*\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("__name__");
    }

    @Test
    void unbalancedExpressionsAreRefused() {
        assertThatThrownBy(() -> PromQl.metricNames("sum(rate(x{a=\"b\"[5m]))"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void grafanaVariablesAreSubstitutedAndUnknownOnesRefused() {
        List<String> variables = List.of("namespace", "pod");
        assertThat(PromQl.substituteGrafanaVariables(
                        "rate(x{namespace=~\"$namespace\", pod=~\"${pod:regex}\", a=~\"[[pod]]\"}[$__rate_interval])"
                                + " + label_replace(y, \"a\", \"$1\", \"b\", \"(.+)\")",
                        variables))
                .isEqualTo("rate(x{namespace=~\".*\", pod=~\".*\", a=~\".*\"}[5m])"
                        + " + label_replace(y, \"a\", \"$1\", \"b\", \"(.+)\")");
        assertThatThrownBy(() -> PromQl.substituteGrafanaVariables("x{namespace=~\"$namespce\"}", variables))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("$namespce");
    }

    @Test
    void variableQueriesYieldTheirSelectorsMetrics() {
        assertThat(PromQl.variableQueryMetricNames(
                        "label_values(eventsink_events_pending{namespace=~\".*\"}, eventsink)"))
                .containsExactly("eventsink_events_pending");
        assertThat(PromQl.variableQueryMetricNames("label_values(namespace)")).isEmpty();
        assertThat(PromQl.variableQueryMetricNames("query_result(topk(5, sum by (pod) (x)))"))
                .containsExactly("x");
        assertThatThrownBy(() -> PromQl.variableQueryMetricNames("metrics(eventsink_.*)"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void familiesAndExportedSeriesNames() {
        assertThat(PromQl.family("eventsink_batch_size_bucket")).isEqualTo("eventsink_batch_size");
        assertThat(PromQl.family("eventsink_events_accepted_total")).isEqualTo("eventsink_events_accepted_total");
        assertThat(PromQl.exportedSeriesNames("""
                        # HELP eventsink_ready Readiness
                        # TYPE eventsink_ready gauge
                        eventsink_ready 1.0
                        eventsink_sqs_call_seconds_bucket{outcome="ok",le="0.001"} 3
                        eventsink_sqs_call_seconds_count{outcome="ok"} 3 1700000000000
                        """))
                .containsExactly(
                        "eventsink_ready", "eventsink_sqs_call_seconds_bucket", "eventsink_sqs_call_seconds_count");
    }
}
