package io.eventsink.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.model.Conditions;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Scale check: N EventSinks (default 200, -Deventsink.scale.count) until all are Ready, counting the operator's
 * Kubernetes API and SQS calls. The figures are printed and quoted in operator/README.md.
 */
@EnableKubernetesMockClient(crud = true)
class ScaleCheckTest {
    static KubernetesMockServer server;
    static KubernetesClient client;

    @Test
    void twoHundredEventSinksBecomeReady() throws Exception {
        int count = Integer.getInteger("eventsink.scale.count", 200);
        TestSupport.installCrd(client);
        Map<String, LongAdder> apiCalls = new ConcurrentHashMap<>();
        // the operator gets its own client so that only its requests are counted, not the test's
        KubernetesClient operatorClient = new KubernetesClientBuilder()
                .withConfig(client.getConfiguration())
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("count", new Interceptor() {
                    @Override
                    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                        String verb = request.method()
                                + (request.uri().getQuery() != null
                                                && request.uri().getQuery().contains("watch=true")
                                        ? " watch"
                                        : "");
                        apiCalls.computeIfAbsent(verb, k -> new LongAdder()).increment();
                    }
                }))
                .build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ElasticMq sqs = ElasticMq.start(0);
                EventSinkOperator operator = new EventSinkOperator(
                                operatorClient,
                                TestSupport.settings(Set.of(), false, "scale", Duration.ofMinutes(10)),
                                registry)
                        .start()) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                client.resource(TestSupport.eventSink("scale-" + (i % 4), "sink-" + i, sqs.endpoint(), s -> {}))
                        .create();
            }
            long created = System.nanoTime();

            // play the Deployment controller: report each new Deployment as available
            Set<String> reported = ConcurrentHashMap.newKeySet();
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        for (Deployment d : client.apps()
                                .deployments()
                                .inAnyNamespace()
                                .list()
                                .getItems()) {
                            String key = d.getMetadata().getNamespace() + "/"
                                    + d.getMetadata().getName();
                            if (reported.add(key)) {
                                TestSupport.markDeploymentAvailable(
                                        client,
                                        d.getMetadata().getNamespace(),
                                        d.getMetadata().getName(),
                                        2);
                            }
                        }
                        return client.resources(EventSink.class).inAnyNamespace().list().getItems().stream()
                                        .filter(es -> es.getStatus() != null
                                                && es.getStatus().condition(Conditions.READY) != null
                                                && es.getStatus()
                                                        .condition(Conditions.READY)
                                                        .isTrue())
                                        .count()
                                == count;
                    });
            long ready = System.nanoTime();

            long total = apiCalls.values().stream().mapToLong(LongAdder::sum).sum();
            double sqsCalls = registry.find("eventsink_operator_sqs_calls_total").counters().stream()
                    .mapToDouble(Counter::count)
                    .sum();
            Map<String, Long> byVerb = new TreeMap<>();
            apiCalls.forEach((k, v) -> byVerb.put(k, v.sum()));
            System.out.printf(
                    "SCALE CHECK: %d EventSinks created in %d ms, all Ready after %d ms; "
                            + "operator Kubernetes API calls %d (%.1f per EventSink) %s; SQS calls %.0f (%.1f per EventSink)%n",
                    count,
                    (created - start) / 1_000_000,
                    (ready - start) / 1_000_000,
                    total,
                    (double) total / count,
                    byVerb,
                    sqsCalls,
                    sqsCalls / count);
            assertThat(total).as("API calls per EventSink stay bounded").isLessThan(count * 30L);
            assertThat(operator.isReady()).isTrue();
        } finally {
            operatorClient.close();
        }
    }
}
