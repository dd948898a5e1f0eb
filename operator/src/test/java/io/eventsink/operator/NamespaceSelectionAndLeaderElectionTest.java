package io.eventsink.operator;

import static io.eventsink.operator.TestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventsink.operator.model.Conditions;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Two replicas with leader election, watching one namespace, with the management endpoints of the jar. */
@EnableKubernetesMockClient(crud = true)
class NamespaceSelectionAndLeaderElectionTest {
    static KubernetesMockServer server;
    static KubernetesClient client;

    @Test
    void oneLeaderReconcilesOnlyTheWatchedNamespace() throws Exception {
        TestSupport.installCrd(client);
        // the API server's answer to JOSDK's permission check before leader election (the mock cannot authorize)
        server.expect()
                .post()
                .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(
                        201,
                        new SelfSubjectRulesReviewBuilder()
                                .withNewMetadata()
                                .endMetadata()
                                .withNewSpec()
                                .withNamespace("operators")
                                .endSpec()
                                .withNewStatus()
                                .withIncomplete(false)
                                .addNewResourceRule()
                                .withApiGroups("coordination.k8s.io")
                                .withResources("leases")
                                .withVerbs("get", "create", "update")
                                .endResourceRule()
                                .endStatus()
                                .build())
                .always();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (ElasticMq sqs = ElasticMq.start(0);
                EventSinkOperator a = new EventSinkOperator(
                        client,
                        TestSupport.settings(Set.of("team-a"), true, "op-a", Duration.ofMinutes(10)),
                        registry);
                EventSinkOperator b = new EventSinkOperator(
                        client,
                        TestSupport.settings(Set.of("team-a"), true, "op-b", Duration.ofMinutes(10)),
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
                ManagementServer management = new ManagementServer(0, () -> true, a::isReady, registry).start()) {
            a.start();
            // op-a takes the lease first; op-b then starts as a standby replica
            eventually().until(() -> {
                Lease lease = client.leases()
                        .inNamespace("operators")
                        .withName(OperatorSettings.LEASE_NAME)
                        .get();
                return lease != null && "op-a".equals(lease.getSpec().getHolderIdentity());
            });
            b.start();

            client.resource(TestSupport.eventSink("team-a", "watched", sqs.endpoint(), s -> {}))
                    .create();
            client.resource(TestSupport.eventSink("team-b", "ignored", sqs.endpoint(), s -> {}))
                    .create();

            eventually()
                    .until(() -> client.apps()
                                            .deployments()
                                            .inNamespace("team-a")
                                            .withName("watched")
                                            .get()
                                    != null
                            && TestSupport.isTrue(client, "team-a", "watched", Conditions.QUEUE_READY));
            await().during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> client.apps()
                                    .deployments()
                                    .inNamespace("team-b")
                                    .list()
                                    .getItems()
                                    .isEmpty()
                            && TestSupport.get(client, "team-b", "ignored").getStatus() == null);
            assertThat(client.apps().deployments().inAnyNamespace().list().getItems())
                    .extracting(Deployment::getMetadata)
                    .extracting(m -> m.getNamespace())
                    .containsOnly("team-a");

            // management endpoints as served by the jar
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + management.port();
            eventually()
                    .until(() -> http.send(
                                            HttpRequest.newBuilder(URI.create(base + "/health/ready"))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .statusCode()
                            == 200);
            assertThat(http.send(
                                    HttpRequest.newBuilder(URI.create(base + "/health/live"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body())
                    .contains("UP");
            String metrics = http.send(
                            HttpRequest.newBuilder(URI.create(base + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(metrics)
                    .contains("eventsink_operator_sqs_calls_total{operation=\"CreateQueue\"}")
                    .contains("operator_sdk_");
            // still op-a: the standby never took over
            assertThat(client.leases()
                            .inNamespace("operators")
                            .withName(OperatorSettings.LEASE_NAME)
                            .get()
                            .getSpec()
                            .getHolderIdentity())
                    .isEqualTo("op-a");
        }
    }

    @Test
    void managementServerReportsReadinessAndMetrics() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.counter("eventsink_operator_queue_creations_total").increment(3);
        boolean[] ready = {false};
        try (ManagementServer m = new ManagementServer(0, () -> true, () -> ready[0], registry).start()) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + m.port();
            var notReady = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).contains("DOWN");
            ready[0] = true;
            assertThat(http.send(
                                    HttpRequest.newBuilder(URI.create(base + "/health/ready"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200);
            var metrics = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
            assertThat(metrics.body()).contains("eventsink_operator_queue_creations_total 3.0");
        }
    }
}
