package io.eventsink.operator;

import static io.eventsink.operator.TestSupport.condition;
import static io.eventsink.operator.TestSupport.eventSink;
import static io.eventsink.operator.TestSupport.eventually;
import static io.eventsink.operator.TestSupport.get;
import static io.eventsink.operator.TestSupport.isTrue;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.eventsink.operator.crd.Condition;
import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.crd.spec.PackSpec;
import io.eventsink.operator.model.Conditions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The packed queue format end to end: the real operator against the fabric8 mock API server (CRUD mode) and ElasticMQ.
 * ElasticMQ 1.7.1 takes messages up to 1 MiB whatever MaximumMessageSize says, and neither keeps nor reports that
 * attribute; {@link SizeKeepingFront} in front of it keeps and reports it as SQS does, so the operator's writes,
 * its drift repair and its check of a team's queue can be seen.
 */
@EnableKubernetesMockClient(crud = true)
class PackedQueueFormatE2ETest {
    static KubernetesMockServer server;
    static KubernetesClient client;

    static ElasticMq elasticMq;
    static SizeKeepingFront front;
    static EventSinkOperator operator;

    @BeforeAll
    static void start() throws Exception {
        elasticMq = ElasticMq.start(0);
        front = SizeKeepingFront.start(elasticMq.endpoint());
        TestSupport.installCrd(client);
        operator = new EventSinkOperator(
                        client,
                        TestSupport.settings(Set.of(), false, "packed", Duration.ofSeconds(2)),
                        new SimpleMeterRegistry())
                .start();
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.close();
        }
        if (front != null) {
            front.close();
        }
        if (elasticMq != null) {
            elasticMq.close();
        }
    }

    private ConfigMap configMap(String ns, String name) {
        return client.configMaps().inNamespace(ns).withName(name + "-config").get();
    }

    @Test
    void aPackedSinkGetsItsSettingsAndQueuesThatTakeItsPacks() {
        String ns = "packed";
        client.resource(eventSink(ns, "sink", front.endpoint(), s -> {
                    s.queue.messageFormat = "packed";
                    s.queue.pack = new PackSpec();
                    s.queue.pack.maxBytes = 1_048_576;
                    s.queue.pack.lingerMs = 50;
                    s.queue.pack.compression = "gzip";
                }))
                .create();
        eventually().until(() -> isTrue(client, ns, "sink", Conditions.QUEUE_READY) && configMap(ns, "sink") != null);
        assertThat(configMap(ns, "sink").getData())
                .containsEntry("SQS_MESSAGE_FORMAT", "packed")
                .containsEntry("SQS_PACK_MAX_BYTES", "1048576")
                .containsEntry("SQS_PACK_LINGER_MS", "50")
                .containsEntry("SQS_PACK_COMPRESSION", "gzip");
        assertThat(front.sizes)
                .containsEntry("es-packed-sink", "1048576")
                .containsEntry("es-packed-sink-dlq", "1048576");

        // what a pod sends: a full pack is taken by the queue the operator created
        String url = get(client, ns, "sink").getStatus().queueUrl;
        elasticMq.sqs.sendMessage(r -> r.queueUrl(url).messageBody("x".repeat(1_048_576)));

        // someone lowers it in the console: the periodic check (every 2 s here) puts it back
        front.sizes.put("es-packed-sink", "262144");
        eventually().until(() -> "1048576".equals(front.sizes.get("es-packed-sink")));
        assertThat(front.writes).contains("SetQueueAttributes es-packed-sink MaximumMessageSize=1048576");

        // back to the event format: the pods get it and the queues go back to 256 KiB
        client.resources(EventSink.class).inNamespace(ns).withName("sink").edit(es -> {
            es.getSpec().queue.messageFormat = "event";
            return es;
        });
        eventually()
                .until(() -> "event".equals(configMap(ns, "sink").getData().get("SQS_MESSAGE_FORMAT"))
                        && "262144".equals(front.sizes.get("es-packed-sink"))
                        && "262144".equals(front.sizes.get("es-packed-sink-dlq")));
    }

    @Test
    void aTeamQueueTooSmallForThePacksIsReportedAndLeftAlone() {
        String ns = "team-queue";
        String url = elasticMq.sqs.createQueue(r -> r.queueName("team-small")).queueUrl();
        front.sizes.put("team-small", "262144"); // as the team created it
        client.resource(eventSink(ns, "sink", front.endpoint(), s -> {
                    s.queue.existingUrl = url;
                    s.queue.messageFormat = "packed";
                    s.queue.pack = new PackSpec();
                    s.queue.pack.maxBytes = 524_288;
                }))
                .create();
        eventually().until(() -> {
            Condition q = condition(client, ns, "sink", Conditions.QUEUE_READY);
            return q != null && "QueueMessageSizeTooSmall".equals(q.reason);
        });
        assertThat(condition(client, ns, "sink", Conditions.QUEUE_READY).message)
                .contains("takes messages of at most 262144 bytes, queue.pack.maxBytes is 524288");
        assertThat(client.apps().deployments().inNamespace(ns).withName("sink").get())
                .as("no pods that would have every full pack refused")
                .isNull();
        assertThat(front.writes).noneMatch(w -> w.contains("team-small"));

        // the team raises it: the next retry finds the queue fit
        front.sizes.put("team-small", "1048576");
        eventually()
                .atMost(Duration.ofSeconds(60))
                .until(() -> isTrue(client, ns, "sink", Conditions.QUEUE_READY)
                        && client.apps()
                                        .deployments()
                                        .inNamespace(ns)
                                        .withName("sink")
                                        .get()
                                != null);
        assertThat(client.apps()
                        .deployments()
                        .inNamespace(ns)
                        .withName("sink")
                        .get()
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .getFirst()
                        .getEnv())
                .anyMatch(
                        e -> e.getName().equals("SQS_QUEUE_URL") && e.getValue().equals(url));
        assertThat(front.writes).noneMatch(w -> w.contains("team-small"));
    }

    /**
     * SQS's JSON protocol passed on to ElasticMQ, keeping the queues' MaximumMessageSize as written by CreateQueue and
     * SetQueueAttributes and reporting it in GetQueueAttributes answers, as SQS does.
     */
    static final class SizeKeepingFront implements AutoCloseable {
        final HttpServer http;
        final String target;
        final HttpClient forwarder = HttpClient.newHttpClient();
        /** MaximumMessageSize by queue name. */
        final Map<String, String> sizes = new ConcurrentHashMap<>();
        /** "Action queue MaximumMessageSize=value" for every write of the attribute. */
        final List<String> writes = new CopyOnWriteArrayList<>();

        private SizeKeepingFront(HttpServer http, String target) {
            this.http = http;
            this.target = target;
        }

        static SizeKeepingFront start(String target) throws IOException {
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            SizeKeepingFront front = new SizeKeepingFront(http, target);
            http.createContext("/", front::handle);
            http.setExecutor(Executors.newFixedThreadPool(4));
            http.start();
            return front;
        }

        String endpoint() {
            return "http://127.0.0.1:" + http.getAddress().getPort();
        }

        @SuppressWarnings("unchecked")
        private void handle(HttpExchange ex) throws IOException {
            byte[] body = ex.getRequestBody().readAllBytes();
            String amzTarget = ex.getRequestHeaders().getFirst("X-Amz-Target");
            String action = amzTarget == null ? "?" : amzTarget.substring(amzTarget.indexOf('.') + 1);
            Map<String, Object> json = body.length == 0
                    ? Map.of()
                    : Serialization.unmarshal(new String(body, StandardCharsets.UTF_8), Map.class);
            String queue = json.get("QueueName") instanceof String n
                    ? n
                    : json.get("QueueUrl") instanceof String u ? u.substring(u.lastIndexOf('/') + 1) : null;
            try (ex) {
                HttpResponse<byte[]> response = SqsWire.forward(forwarder, target, ex, body);
                if (response.statusCode() == 200 && queue != null) {
                    if (json.get("Attributes") instanceof Map<?, ?> attrs
                            && attrs.get(QueueAttributeName.MAXIMUM_MESSAGE_SIZE.toString()) instanceof String size) {
                        sizes.put(queue, size);
                        writes.add(action + " " + queue + " MaximumMessageSize=" + size);
                    }
                    if ("GetQueueAttributes".equals(action) && sizes.containsKey(queue)) {
                        Map<String, Object> answer =
                                Serialization.unmarshal(new String(response.body(), StandardCharsets.UTF_8), Map.class);
                        Map<String, Object> attributes = (Map<String, Object>) answer.get("Attributes");
                        List<String> asked = (List<String>) json.getOrDefault("AttributeNames", List.of());
                        if (attributes != null
                                && (asked.contains("All")
                                        || asked.contains(QueueAttributeName.MAXIMUM_MESSAGE_SIZE.toString()))) {
                            attributes.put(QueueAttributeName.MAXIMUM_MESSAGE_SIZE.toString(), sizes.get(queue));
                            byte[] out = Serialization.asJson(answer).getBytes(StandardCharsets.UTF_8);
                            response.headers()
                                    .firstValue("Content-Type")
                                    .ifPresent(v -> ex.getResponseHeaders().add("Content-Type", v));
                            ex.sendResponseHeaders(200, out.length);
                            ex.getResponseBody().write(out);
                            return;
                        }
                    }
                }
                SqsWire.relay(ex, response);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }
}
