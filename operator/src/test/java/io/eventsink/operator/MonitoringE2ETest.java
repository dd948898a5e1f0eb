package io.eventsink.operator;

import static io.eventsink.operator.TestSupport.condition;
import static io.eventsink.operator.TestSupport.eventSink;
import static io.eventsink.operator.TestSupport.eventually;
import static io.eventsink.operator.TestSupport.get;
import static io.eventsink.operator.TestSupport.isTrue;
import static io.eventsink.operator.TestSupport.markDeploymentAvailable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventsink.operator.crd.Condition;
import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.crd.ServiceMonitor;
import io.eventsink.operator.crd.spec.EventSinkSpec;
import io.eventsink.operator.crd.spec.MonitoringSpec;
import io.eventsink.operator.model.Conditions;
import io.eventsink.operator.model.Labels;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * spec.monitoring end to end on the mock API server with ElasticMQ: first without the Prometheus Operator's CRDs (a
 * condition and one Event, no ServiceMonitor, no hot loop), then with them (the ServiceMonitor is created, kept and
 * removed with the setting). Last, the operator's /metrics after that run holds every operator series the chart's
 * dashboard and alert rules use.
 */
@EnableKubernetesMockClient(crud = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitoringE2ETest {
    static KubernetesMockServer server;
    static KubernetesClient client;

    static final Path DASHBOARD = Path.of("../charts/eventsink-operator/dashboards/eventsink.json");
    static final Path RULES = Path.of("../charts/eventsink-operator/templates/prometheusrule.yaml");

    private static Consumer<EventSinkSpec> monitored(Map<String, String> labels) {
        return s -> {
            s.monitoring = new MonitoringSpec();
            s.monitoring.enabled = true;
            s.monitoring.labels = labels;
        };
    }

    @Test
    @Order(1)
    void withoutThePrometheusOperatorTheSinkWorksAndSaysMonitoringIsUnavailable() throws Exception {
        TestSupport.installCrd(client);
        String ns = "no-prometheus";
        try (ElasticMq sqs = ElasticMq.start(0);
                EventSinkOperator operator = new EventSinkOperator(
                                client,
                                TestSupport.settings(Set.of(ns), false, "mon-a", Duration.ofMinutes(10)),
                                OperatorMain.newRegistry())
                        .start()) {
            client.resource(eventSink(ns, "sink", sqs.endpoint(), monitored(Map.of())))
                    .create();
            eventually()
                    .until(() -> client.apps()
                                    .deployments()
                                    .inNamespace(ns)
                                    .withName("sink")
                                    .get()
                            != null);
            markDeploymentAvailable(client, ns, "sink", 2);
            eventually().until(() -> isTrue(client, ns, "sink", Conditions.READY));
            Condition degraded = condition(client, ns, "sink", Conditions.DEGRADED);
            assertThat(degraded.isTrue()).isTrue();
            assertThat(degraded.reason).isEqualTo("MonitoringUnavailable");
            assertThat(degraded.message).contains("monitoring.coreos.com/v1 servicemonitors");
            eventually()
                    .until(() -> client.v1().events().inNamespace(ns).list().getItems().stream()
                                    .filter(e -> "MonitoringUnavailable".equals(e.getReason()))
                                    .count()
                            == 1);
            // no hot loop: nothing written while nothing changes
            String version = get(client, ns, "sink").getMetadata().getResourceVersion();
            await().during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(5))
                    .until(() ->
                            version.equals(get(client, ns, "sink").getMetadata().getResourceVersion()));
            assertThat(client.v1().events().inNamespace(ns).list().getItems().stream()
                            .filter(e -> "MonitoringUnavailable".equals(e.getReason())))
                    .hasSize(1);
            assertThat(operator.isReady()).as("no informer on a missing API").isTrue();
        }
    }

    @Test
    @Order(2)
    void withThePrometheusOperatorAServiceMonitorFollowsTheSetting() throws Exception {
        client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .resource(new CustomResourceDefinitionBuilder()
                        .withNewMetadata()
                        .withName("servicemonitors.monitoring.coreos.com")
                        .endMetadata()
                        .withNewSpec()
                        .withGroup("monitoring.coreos.com")
                        .withScope("Namespaced")
                        .withNewNames()
                        .withKind("ServiceMonitor")
                        .withPlural("servicemonitors")
                        .withSingular("servicemonitor")
                        .endNames()
                        .addNewVersion()
                        .withName("v1")
                        .withServed(true)
                        .withStorage(true)
                        .withNewSchema()
                        .withNewOpenAPIV3Schema()
                        .withType("object")
                        .withXKubernetesPreserveUnknownFields(true)
                        .endOpenAPIV3Schema()
                        .endSchema()
                        .endVersion()
                        .endSpec()
                        .build())
                .create();
        String ns = "with-prometheus";
        try (ElasticMq sqs = ElasticMq.start(0);
                EventSinkOperator operator = new EventSinkOperator(
                                client,
                                TestSupport.settings(Set.of(ns), false, "mon-b", Duration.ofMinutes(10)),
                                OperatorMain.newRegistry())
                        .start()) {
            client.resource(eventSink(
                            ns, "sink", sqs.endpoint(), monitored(Map.of("release", "kube-prometheus-stack"))))
                    .create();
            eventually()
                    .until(() -> client.resources(ServiceMonitor.class)
                                    .inNamespace(ns)
                                    .withName("sink")
                                    .get()
                            != null);
            ServiceMonitor sm = client.resources(ServiceMonitor.class)
                    .inNamespace(ns)
                    .withName("sink")
                    .get();
            EventSink es = get(client, ns, "sink");
            assertThat(sm.getMetadata().getLabels())
                    .containsEntry("release", "kube-prometheus-stack")
                    .containsEntry(Labels.MANAGED_BY, Labels.OPERATOR)
                    .containsEntry(Labels.INSTANCE, "sink");
            assertThat(sm.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
                assertThat(r.getUid()).isEqualTo(es.getMetadata().getUid());
                assertThat(r.getController()).isTrue();
            });
            @SuppressWarnings("unchecked")
            var endpoint = (Map<String, Object>) ((List<?>) sm.getSpec().get("endpoints")).get(0);
            assertThat(endpoint)
                    .containsEntry("port", "management")
                    .containsEntry("path", "/metrics")
                    .containsEntry("interval", "30s");
            assertThat(endpoint.get("relabelings").toString())
                    .contains("targetLabel=eventsink")
                    .contains("__meta_kubernetes_service_label_app_kubernetes_io_instance")
                    .contains("targetLabel=namespace")
                    .contains("targetLabel=pod");
            assertThat(sm.getSpec().get("selector").toString())
                    .contains("app.kubernetes.io/instance=sink")
                    .contains("app.kubernetes.io/name=eventsink");
            markDeploymentAvailable(client, ns, "sink", 2);
            eventually()
                    .until(() -> isTrue(client, ns, "sink", Conditions.READY)
                            && "False".equals(condition(client, ns, "sink", Conditions.DEGRADED).status));

            // switched off: removed
            client.resources(EventSink.class).inNamespace(ns).withName("sink").edit(e -> {
                e.getSpec().monitoring.enabled = false;
                return e;
            });
            eventually()
                    .until(() -> client.resources(ServiceMonitor.class)
                                    .inNamespace(ns)
                                    .withName("sink")
                                    .get()
                            == null);
        }
    }

    /**
     * A realistic run (sinks created, one whose queue is missing, one deleted), then the jar's management endpoint:
     * every operator series the dashboard and the alert rules reference must be there.
     */
    @Test
    @Order(3)
    void everyOperatorSeriesTheDashboardAndRulesUseIsExported() throws Exception {
        String ns = "metrics";
        PrometheusMeterRegistry registry = OperatorMain.newRegistry();
        try (ElasticMq sqs = ElasticMq.start(0);
                EventSinkOperator operator = new EventSinkOperator(
                                client,
                                TestSupport.settings(Set.of(ns), false, "mon-c", Duration.ofMinutes(10)),
                                registry)
                        .start();
                ManagementServer management =
                        new ManagementServer(0, () -> true, operator::isReady, registry).start()) {
            client.resource(eventSink(ns, "ok", sqs.endpoint(), s -> {})).create();
            client.resource(eventSink(ns, "gone", sqs.endpoint(), s -> {})).create();
            client.resource(eventSink(
                            ns,
                            "broken",
                            sqs.endpoint(),
                            s -> s.queue.existingUrl = sqs.endpoint() + "/000000000000/missing"))
                    .create();
            eventually()
                    .until(() -> client.apps()
                                    .deployments()
                                    .inNamespace(ns)
                                    .withName("ok")
                                    .get()
                            != null);
            markDeploymentAvailable(client, ns, "ok", 2);
            eventually()
                    .until(() -> isTrue(client, ns, "ok", Conditions.READY)
                            && isTrue(client, ns, "gone", Conditions.QUEUE_READY)
                            && condition(client, ns, "broken", Conditions.QUEUE_READY) != null
                            && "QueueNotFound".equals(condition(client, ns, "broken", Conditions.QUEUE_READY).reason));
            client.resources(EventSink.class).inNamespace(ns).withName("gone").delete();
            eventually().until(() -> get(client, ns, "gone") == null);

            HttpClient http = HttpClient.newHttpClient();
            String scrape = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management.port() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            Set<String> exported = new TreeSet<>();
            scrape.lines()
                    .filter(l -> !l.startsWith("#") && !l.isBlank())
                    .map(l -> l.split("[{ ]", 2)[0])
                    .forEach(exported::add);

            List<String> expressions = new ArrayList<>();
            expressions.addAll(PromQlNames.dashboardExpressions(Files.readString(DASHBOARD)));
            expressions.addAll(PromQlNames.ruleExpressions(Files.readString(RULES)));
            Set<String> referenced = new TreeSet<>();
            expressions.forEach(e -> PromQlNames.in(e).stream()
                    .filter(n -> n.startsWith("eventsink_operator_") || n.startsWith("operator_sdk_"))
                    .forEach(referenced::add));
            assertThat(referenced)
                    .as("the dashboard and rules use operator metrics")
                    .contains("eventsink_operator_eventsink_condition");
            assertThat(exported).as("operator series on /metrics").containsAll(referenced);

            // the condition gauge: one series per type and status; the deleted sink's are gone
            assertThat(scrape)
                    .contains("eventsink_operator_eventsink_condition{eventsink=\"ok\",namespace=\"metrics\","
                            + "status=\"True\",type=\"Ready\"} 1.0")
                    .contains("eventsink_operator_eventsink_condition{eventsink=\"broken\",namespace=\"metrics\","
                            + "status=\"False\",type=\"QueueReady\"} 1.0")
                    .doesNotContain("eventsink=\"gone\"");
            System.out.println("OPERATOR METRICS: referenced by the chart " + referenced);
            System.out.println("OPERATOR METRICS: exported operator series "
                    + exported.stream()
                            .filter(n -> n.startsWith("eventsink_operator_") || n.startsWith("operator_sdk_"))
                            .toList());
        }
    }
}
