package io.eventsink.operator;

import static org.awaitility.Awaitility.await;

import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.model.Conditions;
import io.eventsink.operator.model.DeploymentModel;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The 1,000-EventSink benchmark (the lab, not part of the product build: bench/operator-scale/scale-benchmark.sh). In
 * the operator's package, to use its test support (TestSupport, OperatorProcess, ElasticMq) from the operator's test jar.
 * The real operator in its own JVM (OperatorMain) against the fabric8 mock API server (CRUD mode) and ElasticMQ, both
 * in this JVM; this JVM also plays the Deployment controller (each new Deployment reported available). Measures:
 * time until all are Ready, API calls per EventSink (from the API server's request log, by the operator's token),
 * SQS calls, the operator's heap and CPU, the time for a spec change to reach every Deployment, and what a restart
 * (a full resync of unchanged EventSinks) writes. Figures are printed as SCALE BENCHMARK lines.
 */
@EnableKubernetesMockClient(crud = true)
class ScaleBenchmark {
    static KubernetesMockServer server;
    static KubernetesClient client;

    record Seen(String who, String method, String path) {}

    @Test
    void thousandEventSinks() throws Exception {
        int count = Integer.getInteger("eventsink.scale.count", 1000);
        int namespaces = 10;
        TestSupport.installCrd(client);
        List<Seen> seen = new CopyOnWriteArrayList<>();
        Thread recorder = Thread.ofVirtual().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    RecordedRequest r = server.takeRequest(100, TimeUnit.MILLISECONDS);
                    if (r != null) {
                        String auth = r.getHeader("Authorization");
                        String who = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : "test";
                        seen.add(new Seen(who, r.getMethod(), r.getPath()));
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        // the Deployment controller: every Deployment (new or changed) reported available
        var watch = client.apps().deployments().inAnyNamespace().watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Deployment d) {
                if (action != Action.DELETED
                        && (d.getStatus() == null
                                || d.getStatus().getObservedGeneration() == null
                                || d.getStatus().getObservedGeneration()
                                        < d.getMetadata().getGeneration())) {
                    Thread.ofVirtual()
                            .start(() -> TestSupport.markDeploymentAvailable(
                                    client,
                                    d.getMetadata().getNamespace(),
                                    d.getMetadata().getName(),
                                    2));
                }
            }

            @Override
            public void onClose(WatcherException cause) {}
        });
        // what the test looks at comes from watches too: polling lists of 1,000 objects would load the API server
        Map<String, Boolean> readyNow = new ConcurrentHashMap<>();
        Map<String, String> hashes = new ConcurrentHashMap<>();
        var sinkWatch = client.resources(EventSink.class).inAnyNamespace().watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, EventSink es) {
                readyNow.put(
                        es.getMetadata().getNamespace() + "/" + es.getMetadata().getName(),
                        action != Action.DELETED && isReady(es));
            }

            @Override
            public void onClose(WatcherException cause) {}
        });
        var hashWatch = client.apps().deployments().inAnyNamespace().watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Deployment d) {
                hashes.put(key(d), hash(d));
            }

            @Override
            public void onClose(WatcherException cause) {}
        });
        ExecutorService creators = Executors.newFixedThreadPool(16);
        try (ElasticMq sqs = ElasticMq.start(0);
                OperatorProcess op = OperatorProcess.start(
                        client,
                        "scale-1",
                        Map.of("LEADER_ELECTION_ENABLED", "false", "QUEUE_RESYNC_SECONDS", "3600"))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> op.metrics().contains("jvm_memory_used_bytes"));
            double cpuIdle = op.cpuSeconds();
            long start = System.nanoTime();
            List<? extends java.util.concurrent.Future<?>> creates = IntStream.range(0, count)
                    .mapToObj(i -> creators.submit(() -> client.resource(TestSupport.eventSink(
                                    "scale-" + (i % namespaces), "sink-" + i, sqs.endpoint(), s -> {}))
                            .create()))
                    .toList();
            for (var f : creates) {
                f.get();
            }
            long created = System.nanoTime();
            await().atMost(Duration.ofMinutes(10))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> readyNow.values().stream().filter(b -> b).count() == count);
            long allReady = System.nanoTime();
            double cpuReady = op.cpuSeconds();
            double heap = op.heapMiB();
            long apiCalls = seen.stream().filter(s -> s.who().equals("scale-1")).count();
            double sqsCalls = op.metric("eventsink_operator_sqs_calls_total");
            report(
                    "SCALE BENCHMARK: %d EventSinks created in %.1f s (16 client threads), all Ready %.1f s after"
                            + " the first create; operator CPU %.1f s; heap %.0f MiB; Kubernetes API calls %d (%.1f per"
                            + " EventSink) %s; SQS calls %.0f (%.1f per EventSink)%n",
                    count,
                    (created - start) / 1e9,
                    (allReady - start) / 1e9,
                    cpuReady - cpuIdle,
                    heap,
                    apiCalls,
                    (double) apiCalls / count,
                    byVerb(seen, "scale-1"),
                    sqsCalls,
                    sqsCalls / count);

            // a spec change to every EventSink: how long until every Deployment carries it
            Map<String, String> before = new TreeMap<>(hashes);
            long changeStart = System.nanoTime();
            List<? extends java.util.concurrent.Future<?>> edits =
                    client.resources(EventSink.class).inAnyNamespace().list().getItems().stream()
                            .map(es -> creators.submit(() -> client.resources(EventSink.class)
                                    .inNamespace(es.getMetadata().getNamespace())
                                    .withName(es.getMetadata().getName())
                                    .edit(e -> {
                                        e.getSpec().config = Map.of("logLevel", "DEBUG");
                                        return e;
                                    })))
                            .toList();
            for (var f : edits) {
                f.get();
            }
            long edited = System.nanoTime();
            await().atMost(Duration.ofMinutes(10))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> hashes.size() == count
                            && hashes.entrySet().stream()
                                    .allMatch(e -> !e.getValue().equals(before.get(e.getKey()))));
            long rolled = System.nanoTime();
            await().atMost(Duration.ofMinutes(10))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> readyNow.values().stream().filter(b -> b).count() == count);
            report(
                    "SCALE BENCHMARK: spec change (config.logLevel) patched into %d EventSinks in %.1f s; every"
                            + " Deployment carried it %.1f s after the first patch; all Ready again %.1f s after%n",
                    count,
                    (edited - changeStart) / 1e9,
                    (rolled - changeStart) / 1e9,
                    (System.nanoTime() - changeStart) / 1e9);
        }

        // a restart: the new operator reconciles every unchanged EventSink once and must write nothing
        try (OperatorProcess op = OperatorProcess.start(
                client, "scale-2", Map.of("LEADER_ELECTION_ENABLED", "false", "QUEUE_RESYNC_SECONDS", "3600"))) {
            long start = System.nanoTime();
            await().atMost(Duration.ofMinutes(10))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> op.metric("operator_sdk_reconciliations_success_total") >= count);
            long done = System.nanoTime();
            // and nothing written in the 5 s after, when whatever those reconciles triggered has run
            await().during(Duration.ofSeconds(5))
                    .atMost(Duration.ofSeconds(7))
                    .until(() -> seen.stream()
                            .noneMatch(s ->
                                    s.who().equals("scale-2") && !s.method().equals("GET")));
            long writes = seen.stream()
                    .filter(s -> s.who().equals("scale-2") && !s.method().equals("GET"))
                    .count();
            report(
                    "SCALE BENCHMARK: restart with %d unchanged EventSinks: all reconciled %.1f s after start,"
                            + " operator CPU %.1f s, Kubernetes writes %d %s, SQS calls %.0f%n",
                    count,
                    (done - start) / 1e9,
                    op.cpuSeconds(),
                    writes,
                    byVerb(seen, "scale-2"),
                    op.metric("eventsink_operator_sqs_calls_total"));
        } finally {
            watch.close();
            sinkWatch.close();
            hashWatch.close();
            creators.shutdownNow();
            recorder.interrupt();
        }
    }

    /** Prints a figure and keeps it in target/scale-benchmark.txt. */
    private static void report(String format, Object... args) {
        String line = String.format(format, args);
        System.out.print(line);
        try {
            java.nio.file.Files.writeString(
                    java.nio.file.Path.of("target", "scale-benchmark.txt"),
                    line,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean isReady(EventSink es) {
        return es.getStatus() != null
                && es.getStatus().condition(Conditions.READY) != null
                && es.getStatus().condition(Conditions.READY).isTrue()
                && es.getStatus().observedGeneration.equals(es.getMetadata().getGeneration());
    }

    private static String key(Deployment d) {
        return d.getMetadata().getNamespace() + "/" + d.getMetadata().getName();
    }

    private static String hash(Deployment d) {
        return d.getSpec().getTemplate().getMetadata().getAnnotations().get(DeploymentModel.CONFIG_HASH_ANNOTATION);
    }

    private static Map<String, Long> byVerb(List<Seen> seen, String who) {
        Map<String, Long> out = new TreeMap<>();
        seen.stream()
                .filter(s -> s.who().equals(who))
                .forEach(s -> out.merge(s.method() + (s.path().contains("watch=true") ? " watch" : ""), 1L, Long::sum));
        return out;
    }
}
