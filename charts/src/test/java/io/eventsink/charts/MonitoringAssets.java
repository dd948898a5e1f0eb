package io.eventsink.charts;

import static io.eventsink.charts.Charts.OPERATOR;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Test support for the operator chart's monitoring assets: the dashboard ConfigMap and the PrometheusRule
 * as helm renders them, and every PromQL expression in them.
 */
final class MonitoringAssets {

    static final String DASHBOARD_CONFIGMAP = "es-eventsink-operator-dashboard";
    static final String DASHBOARD_KEY = "eventsink.json";

    /** One PromQL expression and where it comes from (for failure messages). */
    record Expression(String where, String promql) {}

    private MonitoringAssets() {}

    static Path dashboardFile() {
        return Charts.chartDir(OPERATOR).resolve("dashboards").resolve(DASHBOARD_KEY);
    }

    /** Renders the operator chart with the dashboard and the rules on, plus extra options. */
    static List<HasMetadata> renderEnabled(Consumer<TemplateCommand> options) {
        return Charts.render(OPERATOR, c -> {
            c.set("monitoring.dashboard.enabled", "true").set("monitoring.prometheusRule.enabled", "true");
            options.accept(c);
        });
    }

    static List<HasMetadata> renderEnabled() {
        return renderEnabled(c -> {});
    }

    static List<ConfigMap> dashboardConfigMaps(List<HasMetadata> resources) {
        return Charts.ofType(resources, ConfigMap.class).stream()
                .filter(cm -> DASHBOARD_CONFIGMAP.equals(cm.getMetadata().getName()))
                .toList();
    }

    static ConfigMap dashboardConfigMap(List<HasMetadata> resources) {
        return Charts.named(resources, ConfigMap.class, DASHBOARD_CONFIGMAP);
    }

    static JsonNode dashboard(ConfigMap configMap) {
        return json(configMap.getData().get(DASHBOARD_KEY));
    }

    static List<GenericKubernetesResource> prometheusRules(List<HasMetadata> resources) {
        return Charts.ofType(resources, GenericKubernetesResource.class).stream()
                .filter(r -> "PrometheusRule".equals(r.getKind()))
                .toList();
    }

    static JsonNode prometheusRule(List<HasMetadata> resources) {
        List<GenericKubernetesResource> rules = prometheusRules(resources);
        if (rules.size() != 1) {
            throw new AssertionError("expected one PrometheusRule, found " + rules.size());
        }
        return Serialization.jsonMapper().valueToTree(rules.get(0));
    }

    /** Every rule (alert or recording) of every group of a rendered PrometheusRule. */
    static List<JsonNode> rules(JsonNode prometheusRule) {
        List<JsonNode> rules = new ArrayList<>();
        prometheusRule.path("spec").path("groups").forEach(g -> g.path("rules").forEach(rules::add));
        return rules;
    }

    /** Every panel of a dashboard, including panels nested in collapsed rows. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        dashboard.path("panels").forEach(p -> {
            panels.add(p);
            p.path("panels").forEach(panels::add);
        });
        return panels;
    }

    static List<String> variableNames(JsonNode dashboard) {
        List<String> names = new ArrayList<>();
        dashboard
                .path("templating")
                .path("list")
                .forEach(v -> names.add(v.path("name").asText()));
        return names;
    }

    /** A variable's query text, whether Grafana stored it as a string or as {query: ...}. */
    static String variableQuery(JsonNode variable) {
        JsonNode query = variable.path("query");
        return query.isObject() ? query.path("query").asText() : query.asText();
    }

    /**
     * The PromQL of the dashboard's panel targets (Grafana variables substituted) and of its query
     * variables' label_values()/query_result() selectors.
     */
    static List<Expression> dashboardExpressions(JsonNode dashboard) {
        Map<String, String> variables = new LinkedHashMap<>();
        dashboard
                .path("templating")
                .path("list")
                .forEach(v -> variables.put(
                        v.path("name").asText(), "textbox".equals(v.path("type").asText()) ? variableQuery(v) : ".*"));
        List<Expression> expressions = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                String where = "panel " + panel.path("id").asInt() + " '"
                        + panel.path("title").asText() + "' target "
                        + target.path("refId").asText();
                expressions.add(new Expression(
                        where,
                        PromQl.substituteGrafanaVariables(target.path("expr").asText(), variables)));
            }
        }
        return expressions;
    }

    /** The metric names the dashboard's variable queries read. */
    static List<String> variableMetricNames(JsonNode dashboard) {
        List<String> names = new ArrayList<>();
        dashboard.path("templating").path("list").forEach(v -> {
            if ("query".equals(v.path("type").asText())) {
                names.addAll(PromQl.variableQueryMetricNames(variableQuery(v)));
            }
        });
        return names;
    }

    static List<Expression> ruleExpressions(JsonNode prometheusRule) {
        List<Expression> expressions = new ArrayList<>();
        for (JsonNode rule : rules(prometheusRule)) {
            String name = rule.has("alert")
                    ? "alert " + rule.path("alert").asText()
                    : "record " + rule.path("record").asText();
            expressions.add(new Expression(name, rule.path("expr").asText()));
        }
        return expressions;
    }

    static JsonNode json(String text) {
        try {
            return Serialization.jsonMapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
