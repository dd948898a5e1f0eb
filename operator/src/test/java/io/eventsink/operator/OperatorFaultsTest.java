package io.eventsink.operator;

import static io.eventsink.operator.TestSupport.condition;
import static io.eventsink.operator.TestSupport.eventSink;
import static io.eventsink.operator.TestSupport.eventually;
import static io.eventsink.operator.TestSupport.get;
import static io.eventsink.operator.TestSupport.isTrue;
import static io.eventsink.operator.TestSupport.markDeploymentAvailable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.eventsink.operator.crd.Condition;
import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.model.Conditions;
import io.eventsink.operator.model.ConfigMapModel;
import io.eventsink.operator.model.DeploymentModel;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.MockServerExpectation;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Operator faults: the real operator against the fabric8 mock API server (CRUD mode) with failures injected as
 * expectations, which take priority over the CRUD store; SQS is a real ElasticMQ, or a small failing front of it.
 * <p>
 * The operator gets its own client (the test's requests are not counted) that records every request it sends. Its
 * HTTP-level retry ({@code requestRetryBackoffLimit}) is switched off in the first tests, so that each injected 5xx
 * reaches the reconciler and JOSDK's retry ({@code @GradualRetry}: GenericRetry waits 1 s, 1 s, 2 s, 4 s ... up to
 * 5 min) is what is exercised;
 * {@link #shortApiServerHiccupsAreAbsorbedByTheClientsOwnRetry} runs the production client settings.
 */
@EnableKubernetesMockClient(crud = true)
class OperatorFaultsTest {
    static KubernetesMockServer server;
    static KubernetesClient client;
    static ElasticMq elasticMq;

    @BeforeAll
    static void setUp() throws Exception {
        elasticMq = ElasticMq.start(0);
        TestSupport.installCrd(client);
    }

    @AfterAll
    static void tearDown() {
        if (elasticMq != null) {
            elasticMq.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // API server errors during reconcile
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void apiServerErrorsAreRetriedWithBackoffAndLeaveNoDuplicates() {
        String ns500 = "fault-500"; // Deployment create answers 500 four times
        String ns409 = "fault-409"; // Service create answers 409 twice (old one still being deleted),
        // and the Deployment changes meanwhile
        String nsStatus = "fault-status"; // first status patch answers 409: someone else wrote the EventSink
        String nsUpdate = "fault-update"; // Deployment update answers 409 twice after a spec change
        Fault dep500 = inject(
                "POST",
                "/apis/apps/v1/namespaces/" + ns500 + "/deployments",
                500,
                "InternalError",
                "etcdserver: request timed out (injected)",
                4,
                null);
        Fault svc409 = inject(
                "POST",
                "/api/v1/namespaces/" + ns409 + "/services",
                409,
                "AlreadyExists",
                "object is being deleted: services \"sink\" already exists (injected)",
                2,
                null);
        AtomicBoolean concurrentWriteDone = new AtomicBoolean();
        Fault status409 = inject(
                "PATCH",
                "/apis/eventsink.io/v1alpha1/namespaces/" + nsStatus + "/eventsinks/sink/status",
                409,
                "Conflict",
                "Operation cannot be fulfilled on eventsinks.eventsink.io \"sink\": the object has been modified;"
                        + " please apply your changes to the latest version and try again (injected)",
                1,
                // what a real conflict means: another writer changed the object in between
                request -> CompletableFuture.runAsync(() -> {
                    client.resources(EventSink.class)
                            .inNamespace(nsStatus)
                            .withName("sink")
                            .edit(es -> {
                                var annotations = es.getMetadata().getAnnotations() == null
                                        ? new java.util.HashMap<String, String>()
                                        : es.getMetadata().getAnnotations();
                                annotations.put("example.com/touched-by", "someone-else");
                                es.getMetadata().setAnnotations(annotations);
                                return es;
                            });
                    concurrentWriteDone.set(true);
                }));

        ApiLog api = new ApiLog();
        AtomicBoolean deploymentChangedDuringFailure = new AtomicBoolean();
        // just before the operator sends the Service create that will fail, the Deployment it created earlier in the
        // same pass reports its pods: a new event during a failing pass, so JOSDK retries at once, not after backoff
        api.beforeOnce.put("POST /api/v1/namespaces/" + ns409 + "/services", () -> {
            markDeploymentAvailable(client, ns409, "sink", 2);
            deploymentChangedDuringFailure.set(true);
        });
        KubernetesClient operatorClient = operatorClient(api, 0);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (EventSinkOperator operator = new EventSinkOperator(
                operatorClient,
                TestSupport.settings(Set.of(ns500, ns409, nsStatus, nsUpdate), false, "faults", Duration.ofMinutes(10)),
                registry)) {
            operator.start();
            long start = System.nanoTime();
            for (String ns : List.of(ns500, ns409, nsStatus, nsUpdate)) {
                client.resource(eventSink(ns, "sink", elasticMq.endpoint(), s -> {}))
                        .create();
            }

            // while the failures last, the status says so
            eventually().until(() -> {
                Condition d = condition(client, ns500, "sink", Conditions.DEGRADED);
                return d != null && d.isTrue() && "ReconcileError".equals(d.reason);
            });
            Condition ready500 = condition(client, ns500, "sink", Conditions.READY);
            assertThat(ready500.status).isEqualTo("False");
            assertThat(ready500.reason).isEqualTo("ReconcileError");
            assertThat(ready500.message).contains("500").contains("etcdserver: request timed out");
            assertThat(client.apps()
                            .deployments()
                            .inNamespace(ns500)
                            .withName("sink")
                            .get())
                    .isNull();

            // play the Deployment controller for all four, then everything converges
            for (String ns : List.of(ns500, ns409, nsStatus, nsUpdate)) {
                eventually()
                        .atMost(Duration.ofSeconds(40))
                        .until(() -> client.apps()
                                        .deployments()
                                        .inNamespace(ns)
                                        .withName("sink")
                                        .get()
                                != null);
                markDeploymentAvailable(client, ns, "sink", 2);
            }
            for (String ns : List.of(ns500, ns409, nsStatus, nsUpdate)) {
                eventually().atMost(Duration.ofSeconds(40)).until(() -> isTrue(client, ns, "sink", Conditions.READY));
                assertThat(condition(client, ns, "sink", Conditions.DEGRADED).status)
                        .as(ns)
                        .isEqualTo("False");
            }
            double converged = (System.nanoTime() - start) / 1e9;

            // every injected failure was hit, and each one cost exactly one more request: no hot loop
            assertThat(dep500.count()).isEqualTo(4);
            assertThat(svc409.count()).isEqualTo(2);
            assertThat(status409.count()).isEqualTo(1);
            assertThat(api.sent("POST", "/apis/apps/v1/namespaces/" + ns500 + "/deployments"))
                    .isEqualTo(5);
            assertThat(api.sent("POST", "/api/v1/namespaces/" + ns409 + "/services"))
                    .isEqualTo(3);
            // JOSDK's exponential backoff between the failed attempts: GenericRetry waits 1 s, 1 s, 2 s, 4 s ...
            // (the multiplier applies from the third retry on)
            List<Double> gaps = dep500.gapsSeconds();
            assertThat(gaps).hasSize(3);
            assertThat(gaps.get(0)).as("first retry after ~1 s").isGreaterThan(0.8);
            assertThat(gaps.get(1)).as("second retry after ~1 s").isGreaterThan(0.8);
            assertThat(gaps.get(2)).as("third retry after ~2 s").isGreaterThan(1.6);
            // (the Service's first retry is immediate: the Deployment changed during the failed pass)
            List<Double> svcGaps = svc409.gapsSeconds();
            assertThat(deploymentChangedDuringFailure).isTrue();

            // the failures are visible as Warning events, once per transition
            assertThat(warnings(ns500, "ReconcileError")).hasSize(1);
            // also when the retry comes at once, before the informer has seen the failure status
            assertThat(warnings(ns409, "ReconcileError")).hasSize(1);
            // the conflicting status patch was redone on top of the other writer's change, which survives
            assertThat(concurrentWriteDone).isTrue();
            assertThat(warnings(nsStatus, "ReconcileError"))
                    .as("redone within the reconcile, no failure")
                    .isEmpty();
            assertThat(get(client, nsStatus, "sink").getMetadata().getAnnotations())
                    .containsEntry("example.com/touched-by", "someone-else");

            // a spec change whose Deployment update conflicts twice is still rolled out
            Fault update409 = inject(
                    "PUT",
                    "/apis/apps/v1/namespaces/" + nsUpdate + "/deployments/sink",
                    409,
                    "Conflict",
                    "Operation cannot be fulfilled on deployments.apps \"sink\": the object has been"
                            + " modified; please apply your changes to the latest version and try again (injected)",
                    2,
                    null);
            client.resources(EventSink.class)
                    .inNamespace(nsUpdate)
                    .withName("sink")
                    .edit(es -> {
                        es.getSpec().config = Map.of("logLevel", "DEBUG");
                        return es;
                    });
            long generation = get(client, nsUpdate, "sink").getMetadata().getGeneration();
            eventually().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
                ConfigMap cm = client.configMaps()
                        .inNamespace(nsUpdate)
                        .withName("sink-config")
                        .get();
                assertThat(cm.getData()).containsEntry("LOG_LEVEL", "DEBUG");
                assertThat(client.apps()
                                .deployments()
                                .inNamespace(nsUpdate)
                                .withName("sink")
                                .get()
                                .getSpec()
                                .getTemplate()
                                .getMetadata()
                                .getAnnotations())
                        .containsEntry(DeploymentModel.CONFIG_HASH_ANNOTATION, ConfigMapModel.hash(cm.getData()));
                EventSink es = get(client, nsUpdate, "sink");
                assertThat(es.getStatus().observedGeneration).isEqualTo(generation);
                assertThat(es.getStatus().condition(Conditions.DEGRADED).status).isEqualTo("False");
            });
            assertThat(update409.count()).isEqualTo(2);
            assertThat(api.sent("PUT", "/apis/apps/v1/namespaces/" + nsUpdate + "/deployments/sink"))
                    .isEqualTo(3);

            for (String ns : List.of(ns500, ns409, nsStatus, nsUpdate)) {
                assertExactlyOneOfEverything(ns, "sink");
            }
            System.out.printf(
                    "OPERATOR FAULTS: API errors: all 4 EventSinks Ready %.1f s after creation;"
                            + " Deployment create 500 x4 retried after %s s; Service create 409 x2 retried after %s s;"
                            + " status patch 409 x1 redone in place; Deployment update 409 x2 retried after %s s;"
                            + " operator requests %s%n",
                    converged, fmt(gaps), fmt(svcGaps), fmt(update409.gapsSeconds()), api.summary());
        } finally {
            operatorClient.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Operator restart in the middle of a reconcile
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void operatorRestartedMidReconcileConvergesWithoutDuplicates() {
        String ns = "fault-restart";
        // the Deployment create fails, so the first operator stops half-way: queue, ServiceAccount, ConfigMap done
        Fault dep500 = inject(
                "POST",
                "/apis/apps/v1/namespaces/" + ns + "/deployments",
                500,
                "InternalError",
                "etcdserver: leader changed (injected)",
                2,
                null);
        ApiLog api1 = new ApiLog();
        ApiLog api2 = new ApiLog();
        KubernetesClient client1 = operatorClient(api1, 0);
        KubernetesClient client2 = operatorClient(api2, 0);
        SimpleMeterRegistry registry1 = new SimpleMeterRegistry();
        SimpleMeterRegistry registry2 = new SimpleMeterRegistry();
        try {
            EventSinkOperator first = new EventSinkOperator(
                            client1,
                            TestSupport.settings(Set.of(ns), false, "first", Duration.ofMinutes(10)),
                            registry1)
                    .start();
            try {
                client.resource(eventSink(ns, "sink", elasticMq.endpoint(), s -> {}))
                        .create();
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> dep500.count() >= 1);
            } finally {
                first.close(); // gone before its retry (1 s later)
            }
            long restarted = System.nanoTime();
            // what the first operator left behind
            assertThat(client.apps()
                            .deployments()
                            .inNamespace(ns)
                            .withName("sink")
                            .get())
                    .isNull();
            ServiceAccount sa =
                    client.serviceAccounts().inNamespace(ns).withName("sink").get();
            ConfigMap cm =
                    client.configMaps().inNamespace(ns).withName("sink-config").get();
            assertThat(sa).isNotNull();
            assertThat(cm).isNotNull();
            assertThat(queueNames(ns)).containsExactlyInAnyOrder("es-" + ns + "-sink", "es-" + ns + "-sink-dlq");
            String queueUrl = elasticMq
                    .sqs
                    .getQueueUrl(r -> r.queueName("es-" + ns + "-sink"))
                    .queueUrl();
            assertThat(registry1
                            .counter("eventsink_operator_queue_creations_total")
                            .count())
                    .isEqualTo(2);
            long firstOperatorDeploymentCreates = api1.sent("POST", "/apis/apps/v1/namespaces/" + ns + "/deployments");

            try (EventSinkOperator second = new EventSinkOperator(
                            client2,
                            TestSupport.settings(Set.of(ns), false, "second", Duration.ofMinutes(10)),
                            registry2)
                    .start()) {
                eventually()
                        .until(() -> client.apps()
                                        .deployments()
                                        .inNamespace(ns)
                                        .withName("sink")
                                        .get()
                                != null);
                markDeploymentAvailable(client, ns, "sink", 2);
                eventually().until(() -> isTrue(client, ns, "sink", Conditions.READY));
                double converged = (System.nanoTime() - restarted) / 1e9;

                EventSink es = get(client, ns, "sink");
                assertThat(es.getStatus().queueUrl)
                        .as("the same queue, adopted")
                        .isEqualTo(queueUrl);
                assertThat(es.getStatus().queueManaged).isTrue();
                assertThat(registry2
                                .counter("eventsink_operator_queue_creations_total")
                                .count())
                        .as("the second operator creates no queue")
                        .isZero();
                assertThat(queueNames(ns)).containsExactlyInAnyOrder("es-" + ns + "-sink", "es-" + ns + "-sink-dlq");
                // the objects of the first operator were kept as they were, not created again
                assertThat(client.serviceAccounts()
                                .inNamespace(ns)
                                .withName("sink")
                                .get()
                                .getMetadata()
                                .getUid())
                        .isEqualTo(sa.getMetadata().getUid());
                ConfigMap cmAfter = client.configMaps()
                        .inNamespace(ns)
                        .withName("sink-config")
                        .get();
                assertThat(cmAfter.getMetadata().getUid())
                        .isEqualTo(cm.getMetadata().getUid());
                assertThat(cmAfter.getMetadata().getResourceVersion())
                        .isEqualTo(cm.getMetadata().getResourceVersion());
                assertThat(api2.sent("POST", "/api/v1/namespaces/" + ns + "/serviceaccounts"))
                        .isZero();
                assertThat(api2.sent("POST", "/api/v1/namespaces/" + ns + "/configmaps"))
                        .isZero();
                assertThat(dep500.count()).isEqualTo(2);
                long creates = firstOperatorDeploymentCreates
                        + api2.sent("POST", "/apis/apps/v1/namespaces/" + ns + "/deployments");
                assertThat(creates)
                        .as("2 failed + 1 successful Deployment create")
                        .isEqualTo(3);
                assertExactlyOneOfEverything(ns, "sink");
                System.out.printf(
                        "OPERATOR FAULTS: restart: first operator stopped after %d failed Deployment"
                                + " create(s) with the queue, ServiceAccount and ConfigMap done; the second one"
                                + " converged to Ready %.1f s after starting, same queue, 0 objects re-created,"
                                + " second operator requests %s%n",
                        firstOperatorDeploymentCreates, converged, api2.summary());
            }
        } finally {
            client1.close();
            client2.close();
        }
    }

    /**
     * The worst case for duplicates: the API server commits the Deployment but the operator never hears back (504,
     * as the API server answers when etcd is slow), and the operator is restarted before it retries. The new
     * operator must find the Deployment and take it as its own, not create a second one.
     */
    @Test
    void operatorRestartedAfterAnUnacknowledgedCreateAdoptsTheObject() {
        String ns = "fault-lost-reply";
        AtomicBoolean committed = new AtomicBoolean();
        Fault lostReply = inject(
                "POST",
                "/apis/apps/v1/namespaces/" + ns + "/deployments",
                504,
                "Timeout",
                "Timeout: request did not complete within requested timeout (injected)",
                1,
                request -> {
                    Deployment sent = Serialization.unmarshal(request.getUtf8Body(), Deployment.class);
                    CompletableFuture.runAsync(
                            () -> { // the write lands after all
                                client.resource(sent).create();
                                committed.set(true);
                            });
                });
        ApiLog api1 = new ApiLog();
        ApiLog api2 = new ApiLog();
        KubernetesClient client1 = operatorClient(api1, 0);
        KubernetesClient client2 = operatorClient(api2, 0);
        try {
            EventSinkOperator first = new EventSinkOperator(
                            client1,
                            TestSupport.settings(Set.of(ns), false, "first", Duration.ofMinutes(10)),
                            new SimpleMeterRegistry())
                    .start();
            try {
                client.resource(eventSink(ns, "sink", elasticMq.endpoint(), s -> {}))
                        .create();
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> lostReply.count() >= 1);
            } finally {
                first.close();
            }
            eventually().untilTrue(committed);
            Deployment orphanedReply =
                    client.apps().deployments().inNamespace(ns).withName("sink").get();
            assertThat(api1.sent("POST", "/apis/apps/v1/namespaces/" + ns + "/deployments"))
                    .isEqualTo(1);

            long restarted = System.nanoTime();
            try (EventSinkOperator second = new EventSinkOperator(
                            client2,
                            TestSupport.settings(Set.of(ns), false, "second", Duration.ofMinutes(10)),
                            new SimpleMeterRegistry())
                    .start()) {
                eventually()
                        .until(() -> client.services()
                                        .inNamespace(ns)
                                        .withName("sink")
                                        .get()
                                != null);
                markDeploymentAvailable(client, ns, "sink", 2);
                eventually().until(() -> isTrue(client, ns, "sink", Conditions.READY));
                double converged = (System.nanoTime() - restarted) / 1e9;
                assertThat(api2.sent("POST", "/apis/apps/v1/namespaces/" + ns + "/deployments"))
                        .as("the committed Deployment is found, not created again")
                        .isZero();
                Deployment now = client.apps()
                        .deployments()
                        .inNamespace(ns)
                        .withName("sink")
                        .get();
                assertThat(now.getMetadata().getUid())
                        .isEqualTo(orphanedReply.getMetadata().getUid());
                assertExactlyOneOfEverything(ns, "sink");
                System.out.printf(
                        "OPERATOR FAULTS: lost reply: Deployment committed behind a 504, operator"
                                + " restarted; the new one converged %.1f s after starting with 0 Deployment creates,"
                                + " requests %s%n",
                        converged, api2.summary());
            }
        } finally {
            client1.close();
            client2.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // SQS answering with errors
    // ---------------------------------------------------------------------------------------------------------

    /**
     * The existing E2E test covers SQS not reachable at all (SqsUnavailable) and counts failures per reconcile. This
     * one has SQS answer 403 to everything (the IAM policy is missing an action), counts the HTTP requests that
     * reach SQS, including any retry by the AWS SDK itself, and checks they stay bounded, then lets requests through.
     */
    @Test
    void sqsAccessDeniedIsReportedRetriedWithBackoffWithoutHotLoopAndRecovers() throws Exception {
        String ns = "fault-sqs";
        try (FailingSqsFront front = FailingSqsFront.start(elasticMq.endpoint())) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (EventSinkOperator operator = new EventSinkOperator(
                    client, TestSupport.settings(Set.of(ns), false, "sqs-faults", Duration.ofMinutes(10)), registry)) {
                operator.start();
                client.resource(eventSink(ns, "sink", front.endpoint(), s -> {}))
                        .create();

                eventually().until(() -> {
                    Condition q = condition(client, ns, "sink", Conditions.QUEUE_READY);
                    return q != null && "False".equals(q.status) && "AccessDenied".equals(q.reason);
                });
                Condition ready = condition(client, ns, "sink", Conditions.READY);
                assertThat(ready.reason).isEqualTo("AccessDenied");
                assertThat(ready.message).contains("AccessDenied").contains("not authorized");
                assertThat(condition(client, ns, "sink", Conditions.DEGRADED).isTrue())
                        .isTrue();

                // watch for 7 s from the first request: retries after ~1 s, ~1 s, ~2 s (then ~4 s), one request each
                long first = front.requests.get(0);
                await().atMost(Duration.ofSeconds(12)).until(() -> System.nanoTime() - first > 7_000_000_000L);
                long inWindow = front.requests.stream()
                        .filter(t -> t - first <= 7_000_000_000L)
                        .count();
                List<Double> gaps = gapsSeconds(front.requests);
                assertThat(inWindow)
                        .as("requests to SQS in 7 s (a hot loop would make hundreds)")
                        .isBetween(3L, 5L);
                assertThat(gaps.get(0)).as("first retry after ~1 s").isGreaterThan(0.8);
                assertThat(gaps.get(1)).as("second retry after ~1 s").isGreaterThan(0.8);
                if (gaps.size() > 2) {
                    assertThat(gaps.get(2)).as("third retry after ~2 s").isGreaterThan(1.6);
                }
                assertThat(client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName("sink")
                                .get())
                        .as("no Deployment without a queue")
                        .isNull();
                assertThat(warnings(ns, "AccessDenied"))
                        .as("one Warning event, not one per attempt")
                        .hasSize(1);

                // the permission is granted: the next retry gets through and the sink converges
                int deniedRequests = front.requests.size();
                long granted = System.nanoTime();
                front.deny.set(false);
                eventually().until(() -> isTrue(client, ns, "sink", Conditions.QUEUE_READY));
                double recovered = (System.nanoTime() - granted) / 1e9;
                eventually()
                        .until(() -> client.apps()
                                        .deployments()
                                        .inNamespace(ns)
                                        .withName("sink")
                                        .get()
                                != null);
                markDeploymentAvailable(client, ns, "sink", 2);
                eventually().until(() -> isTrue(client, ns, "sink", Conditions.READY));
                assertThat(condition(client, ns, "sink", Conditions.DEGRADED).status)
                        .isEqualTo("False");
                assertThat(registry.counter("eventsink_operator_queue_errors_total", "reason", "AccessDenied")
                                .count())
                        .isEqualTo(deniedRequests);
                assertExactlyOneOfEverything(ns, "sink");
                System.out.printf(
                        "OPERATOR FAULTS: SQS 403: %d requests to SQS in the first 7 s, gaps %s s,"
                                + " %d denied requests in all; recovered %.1f s after access was granted%n",
                        inWindow, fmt(gaps), deniedRequests, recovered);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Production client settings
    // ---------------------------------------------------------------------------------------------------------

    /** With the client's default request retry (as in OperatorMain), a few 500s never reach the reconciler. */
    @Test
    void shortApiServerHiccupsAreAbsorbedByTheClientsOwnRetry() {
        String ns = "fault-client-retry";
        Fault dep500 = inject(
                "POST",
                "/apis/apps/v1/namespaces/" + ns + "/deployments",
                500,
                "InternalError",
                "etcdserver: request timed out (injected)",
                3,
                null);
        ApiLog api = new ApiLog();
        KubernetesClient operatorClient = operatorClient(api, null);
        try (EventSinkOperator operator = new EventSinkOperator(
                        operatorClient,
                        TestSupport.settings(Set.of(ns), false, "client-retry", Duration.ofMinutes(10)),
                        new SimpleMeterRegistry())
                .start()) {
            client.resource(eventSink(ns, "sink", elasticMq.endpoint(), s -> {}))
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
            assertThat(dep500.count()).isEqualTo(3);
            assertThat(api.sent("POST", "/apis/apps/v1/namespaces/" + ns + "/deployments"))
                    .isEqualTo(4);
            assertThat(warnings(ns, "ReconcileError"))
                    .as("the reconciler never saw the errors")
                    .isEmpty();
            assertExactlyOneOfEverything(ns, "sink");
            System.out.printf(
                    "OPERATOR FAULTS: client retry (limit %d, interval %d ms): 3 x 500 absorbed in %s s%n",
                    operatorClient.getConfiguration().getRequestRetryBackoffLimit(),
                    operatorClient.getConfiguration().getRequestRetryBackoffInterval(),
                    fmt(dep500.gapsSeconds()));
        } finally {
            operatorClient.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // helpers
    // ---------------------------------------------------------------------------------------------------------

    /** Exactly one of each owned object, each with a single owner reference to the EventSink; one queue and DLQ. */
    private static void assertExactlyOneOfEverything(String ns, String name) {
        EventSink es = get(client, ns, name);
        for (Class<? extends HasMetadata> type : List.of(
                ServiceAccount.class,
                ConfigMap.class,
                Deployment.class,
                Service.class,
                HorizontalPodAutoscaler.class,
                PodDisruptionBudget.class)) {
            List<? extends HasMetadata> items =
                    client.resources(type).inNamespace(ns).list().getItems();
            assertThat(items)
                    .as(ns + " " + type.getSimpleName())
                    .singleElement()
                    .satisfies(o -> assertThat(o.getMetadata().getOwnerReferences())
                            .singleElement()
                            .satisfies(ref -> assertThat(ref.getUid())
                                    .isEqualTo(es.getMetadata().getUid())));
        }
        assertThat(es.getStatus().conditions)
                .extracting(c -> c.type)
                .as(ns + " conditions")
                .containsExactlyInAnyOrder(
                        Conditions.READY, Conditions.QUEUE_READY, Conditions.DEPLOYMENT_READY, Conditions.DEGRADED);
        assertThat(es.getMetadata().getFinalizers()).as(ns + " finalizers").doesNotHaveDuplicates();
        assertThat(queueNames(ns))
                .as(ns + " queues")
                .containsExactlyInAnyOrder("es-" + ns + "-" + name, "es-" + ns + "-" + name + "-dlq");
    }

    private static List<String> queueNames(String ns) {
        return elasticMq.sqs.listQueues(r -> r.queueNamePrefix("es-" + ns + "-")).queueUrls().stream()
                .map(u -> u.substring(u.lastIndexOf('/') + 1))
                .toList();
    }

    private static List<Event> warnings(String ns, String reason) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> "Warning".equals(e.getType()) && reason.equals(e.getReason()))
                .toList();
    }

    /** Requests the operator sent, by method and path; the client's own retries are separate requests. */
    static final class ApiLog {
        final Map<String, LongAdder> sent = new ConcurrentHashMap<>();
        /** Run on the operator's thread just before the first request with that method and path is sent. */
        final Map<String, Runnable> beforeOnce = new ConcurrentHashMap<>();

        long sent(String method, String path) {
            LongAdder n = sent.get(method + " " + path);
            return n == null ? 0 : n.sum();
        }

        /** Non-GET requests (GETs are the informers' lists and watches). */
        String summary() {
            Map<String, Long> out = new java.util.TreeMap<>();
            sent.forEach((k, v) -> {
                if (!k.startsWith("GET")) {
                    out.put(k, v.sum());
                }
            });
            return out.toString();
        }
    }

    /** @param retryLimit the client's HTTP-level retry on 5xx/429; null keeps the default (as in OperatorMain) */
    private static KubernetesClient operatorClient(ApiLog log, Integer retryLimit) {
        ConfigBuilder config = new ConfigBuilder(client.getConfiguration());
        if (retryLimit != null) {
            config.withRequestRetryBackoffLimit(retryLimit);
        }
        return new KubernetesClientBuilder()
                .withConfig(config.build())
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("log", new Interceptor() {
                    @Override
                    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                        String key = request.method() + " " + request.uri().getPath();
                        Runnable hook = log.beforeOnce.remove(key);
                        if (hook != null) {
                            hook.run();
                        }
                        log.sent.computeIfAbsent(key, k -> new LongAdder()).increment();
                    }
                }))
                .build();
    }

    /** An injected API server failure: when it was answered, each time. */
    static final class Fault {
        final List<Long> at = new CopyOnWriteArrayList<>();

        int count() {
            return at.size();
        }

        List<Double> gapsSeconds() {
            return OperatorFaultsTest.gapsSeconds(at);
        }
    }

    /** The next {@code times} requests matching method and path get this error instead of reaching the store. */
    private static Fault inject(
            String method,
            String path,
            int code,
            String reason,
            String message,
            int times,
            Consumer<RecordedRequest> sideEffect) {
        Status status = new StatusBuilder()
                .withApiVersion("v1")
                .withKind("Status")
                .withStatus("Failure")
                .withCode(code)
                .withReason(reason)
                .withMessage(message)
                .build();
        Fault fault = new Fault();
        MockServerExpectation expectation = server.expect();
        var withMethod = switch (method) {
            case "POST" -> expectation.post();
            case "PUT" -> expectation.put();
            case "PATCH" -> expectation.patch();
            default -> throw new IllegalArgumentException(method);
        };
        withMethod
                .withPath(path)
                .andReply(code, request -> {
                    fault.at.add(System.nanoTime());
                    if (sideEffect != null) {
                        sideEffect.accept(request);
                    }
                    return status;
                })
                .times(times);
        return fault;
    }

    private static List<Double> gapsSeconds(List<Long> times) {
        List<Double> gaps = new ArrayList<>();
        for (int i = 1; i < times.size(); i++) {
            gaps.add((times.get(i) - times.get(i - 1)) / 1e9);
        }
        return gaps;
    }

    private static String fmt(List<Double> values) {
        return values.stream().map(v -> String.format("%.2f", v)).toList().toString();
    }

    /**
     * An SQS endpoint in front of ElasticMQ: while {@code deny} is set it answers every request 403 AccessDenied
     * (AWS JSON protocol, as the SDK speaks it), then forwards requests unchanged. Records when each request came.
     */
    static final class FailingSqsFront implements AutoCloseable {
        final HttpServer http;
        final String target;
        final AtomicBoolean deny = new AtomicBoolean(true);
        final List<Long> requests = new CopyOnWriteArrayList<>();
        final HttpClient forwarder = HttpClient.newHttpClient();

        private FailingSqsFront(HttpServer http, String target) {
            this.http = http;
            this.target = target;
        }

        static FailingSqsFront start(String target) throws IOException {
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            FailingSqsFront front = new FailingSqsFront(http, target);
            http.createContext("/", front::handle);
            http.start();
            return front;
        }

        String endpoint() {
            return "http://127.0.0.1:" + http.getAddress().getPort();
        }

        private void handle(HttpExchange ex) throws IOException {
            byte[] body = ex.getRequestBody().readAllBytes();
            try (ex) {
                if (deny.get()) {
                    requests.add(System.nanoTime());
                    SqsWire.error(
                            ex,
                            403,
                            "com.amazon.coral.service#AccessDeniedException",
                            "AccessDenied;Sender",
                            "User: arn:aws:sts::123456789012:assumed-role/eventsink-operator is not authorized to"
                                    + " perform: sqs:getqueueurl");
                    return;
                }
                SqsWire.relay(ex, SqsWire.forward(forwarder, target, ex, body));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            http.stop(0);
            forwarder.close();
        }
    }
}
