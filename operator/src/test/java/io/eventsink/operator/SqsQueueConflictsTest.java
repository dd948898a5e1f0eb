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
import io.eventsink.operator.crd.spec.DeletionPolicy;
import io.eventsink.operator.model.Conditions;
import io.eventsink.operator.model.QueueModel;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
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
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * SQS naming rules that ElasticMQ does not enforce, end to end: the real operator against the fabric8 mock API server
 * (CRUD mode) and a real ElasticMQ behind {@link SqsFront}, a small HTTP server that speaks the SQS JSON protocol. The
 * front applies SQS's 60-second rule after a DeleteQueue (answering CreateQueue with QueueDeletedRecently, as SQS
 * does), records every SQS call, and can play a concurrent creator of a queue. No SQS client is mocked.
 * <p>
 * The operator waits 65 s (a constant) after QueueDeletedRecently. To keep the class short, the sink that hits it is
 * set up first ({@link #queueDeletedRecentlyIsReportedOnceAndNotRetriedEarly}) and its recovery is checked last
 * ({@link #queueDeletedRecentlyIsRetriedAfterTheWaitAndTheSinkBecomesReady}); the other tests run during the wait.
 */
@EnableKubernetesMockClient(crud = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SqsQueueConflictsTest {
    static KubernetesMockServer server;
    static KubernetesClient client;

    static ElasticMq elasticMq;
    static SqsFront front;
    static EventSinkOperator operator;

    static final String NS_DELETED = "deleted-recently";
    static final String NS_OWNER = "team-a"; // team-a/events   -> es-team-a-events
    static final String NS_CLASH = "team"; // team/a-events   -> es-team-a-events as well
    static final String NS_RACE = "race";
    static final String NS_RACE_FOREIGN = "race-foreign";

    /** Shared between the two QueueDeletedRecently tests (set by the first, checked by the last). */
    static volatile long recreatedAt;

    static volatile String recreatedUid;

    @BeforeAll
    static void start() throws Exception {
        elasticMq = ElasticMq.start(0);
        front = SqsFront.start(elasticMq.endpoint());
        TestSupport.installCrd(client);
        operator = new EventSinkOperator(
                        client,
                        TestSupport.settings(
                                Set.of(NS_DELETED, NS_OWNER, NS_CLASH, NS_RACE, NS_RACE_FOREIGN),
                                false,
                                "conflicts",
                                Duration.ofMinutes(10)),
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

    // ---------------------------------------------------------------------------------------------------------
    // QueueDeletedRecently
    // ---------------------------------------------------------------------------------------------------------

    /**
     * An EventSink with {@code deletionPolicy: Delete} is deleted (the operator deletes its queues) and created again
     * at once: SQS refuses the name for 60 s. One failed CreateQueue, the condition says why, one Warning event, and no
     * further call while SQS would refuse anyway.
     */
    @Test
    @Order(1)
    void queueDeletedRecentlyIsReportedOnceAndNotRetriedEarly() {
        String ns = NS_DELETED;
        String main = "es-" + ns + "-sink";
        String dlq = main + "-dlq";
        client.resource(eventSink(ns, "sink", front.endpoint(), s -> s.queue.deletionPolicy = DeletionPolicy.DELETE))
                .create();
        eventually()
                .until(() -> isTrue(client, ns, "sink", Conditions.QUEUE_READY)
                        && get(client, ns, "sink")
                                .getMetadata()
                                .getFinalizers()
                                .contains(EventSinkReconciler.QUEUE_FINALIZER));

        client.resources(EventSink.class).inNamespace(ns).withName("sink").delete();
        eventually().until(() -> get(client, ns, "sink") == null);
        assertThat(front.calls(c -> c.is("DeleteQueue") && c.status == 200))
                .extracting(c -> c.queue)
                .containsExactlyInAnyOrder(main, dlq);
        assertThat(queueExists(main)).isFalse();
        assertThat(queueExists(dlq)).isFalse();
        playGarbageCollector(ns);

        recreatedAt = System.nanoTime();
        client.resource(eventSink(ns, "sink", front.endpoint(), s -> s.queue.deletionPolicy = DeletionPolicy.DELETE))
                .create();
        recreatedUid = get(client, ns, "sink").getMetadata().getUid();
        eventually().until(() -> {
            Condition q = condition(client, ns, "sink", Conditions.QUEUE_READY);
            return q != null && "False".equals(q.status) && "QueueDeletedRecently".equals(q.reason);
        });
        EventSink es = get(client, ns, "sink");
        Condition ready = es.getStatus().condition(Conditions.READY);
        assertThat(ready.status).isEqualTo("False");
        assertThat(ready.reason).isEqualTo("QueueDeletedRecently");
        // the dead-letter queue is created first, so it is the one refused
        assertThat(ready.message)
                .isEqualTo("queue " + dlq + " was deleted less than 60 s ago; creating it again" + " after the wait");
        assertThat(es.getStatus().condition(Conditions.QUEUE_READY).message).isEqualTo(ready.message);
        assertThat(es.getStatus().condition(Conditions.DEGRADED).isTrue()).isTrue();
        assertThat(es.getStatus().condition(Conditions.DEGRADED).reason).isEqualTo("QueueDeletedRecently");

        // no hot loop: over 5 s, still exactly the one refused CreateQueue (and the two GetQueueUrl before it:
        // the dead-letter queue's, then the main queue's, whose name must not be someone else's before we create)
        Predicate<Call> sinceRecreation = c -> c.at > recreatedAt && c.queue != null && c.queue.startsWith(main);
        await().during(Duration.ofSeconds(5))
                .atMost(Duration.ofSeconds(7))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> front.calls(sinceRecreation).size() == 3);
        List<Call> calls = front.calls(sinceRecreation);
        assertThat(calls).extracting(c -> c.action).containsExactly("GetQueueUrl", "GetQueueUrl", "CreateQueue");
        assertThat(calls.get(2).status).isEqualTo(400);
        assertThat(calls.get(2).queryError).isEqualTo("AWS.SimpleQueueService.QueueDeletedRecently;Sender");
        assertThat(warnings(ns, recreatedUid, "QueueDeletedRecently"))
                .as("one Warning event")
                .singleElement()
                .satisfies(e -> assertThat(e.getMessage()).isEqualTo(ready.message));
        assertThat(client.apps().deployments().inNamespace(ns).withName("sink").get())
                .as("no Deployment without a queue")
                .isNull();
        System.out.printf(
                "SQS CONFLICTS: QueueDeletedRecently: reported %.1f s after re-creation; SQS calls in the"
                        + " 5 s after: %s%n",
                (calls.get(1).at - recreatedAt) / 1e9, front.summary(sinceRecreation));
    }

    /** Runs last: the retry comes once, after the documented 65 s (not before), and the sink converges. */
    @Test
    @Order(99)
    void queueDeletedRecentlyIsRetriedAfterTheWaitAndTheSinkBecomesReady() {
        assertThat(recreatedAt)
                .as("set up by queueDeletedRecentlyIsReportedOnceAndNotRetriedEarly")
                .isNotZero();
        String ns = NS_DELETED;
        String main = "es-" + ns + "-sink";
        // this sink's calls only (the other tests' EventSinks use the same front meanwhile)
        Predicate<Call> sinceRecreation = c -> c.at > recreatedAt && c.queue != null && c.queue.startsWith(main);
        long refusedAt =
                front.calls(sinceRecreation.and(c -> c.is("CreateQueue"))).get(0).at;
        await().atMost(Duration.ofSeconds(85))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> isTrue(client, ns, "sink", Conditions.QUEUE_READY));
        List<Call> creates = front.calls(sinceRecreation.and(c -> c.is("CreateQueue")));
        assertThat(creates)
                .extracting(c -> c.queue + " " + c.status)
                .containsExactly(main + "-dlq 400", main + "-dlq 200", main + " 200");
        double retryGap = (creates.get(1).at - refusedAt) / 1e9;
        assertThat(retryGap).as("retried after the 65 s SQS needs, once").isBetween(64.5, 75.0);
        // exactly one pass in between: nothing but that pass's look-ups between the refusal and the retry
        assertThat(front.calls(sinceRecreation.and(c -> c.at > refusedAt && c.at < creates.get(1).at)))
                .extracting(c -> c.action)
                .containsExactly("GetQueueUrl", "GetQueueUrl");

        eventually()
                .until(() -> client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName("sink")
                                .get()
                        != null);
        markDeploymentAvailable(client, ns, "sink", 2);
        eventually().until(() -> isTrue(client, ns, "sink", Conditions.READY));
        EventSink es = get(client, ns, "sink");
        assertThat(es.getStatus().condition(Conditions.DEGRADED).status).isEqualTo("False");
        assertThat(es.getStatus().queueUrl).endsWith("/" + main);
        assertThat(es.getMetadata().getFinalizers()).contains(EventSinkReconciler.QUEUE_FINALIZER);
        assertThat(warnings(ns, recreatedUid, "QueueDeletedRecently")).hasSize(1);
        assertThat(events(ns, recreatedUid, "Normal", "QueueReady")).hasSize(1);
        System.out.printf(
                "SQS CONFLICTS: QueueDeletedRecently: retried %.1f s after the refusal, Ready %.1f s after"
                        + " re-creation; CreateQueue calls %s%n",
                retryGap,
                (System.nanoTime() - recreatedAt) / 1e9,
                creates.stream().map(c -> c.queue + "=" + c.status).toList());
    }

    // ---------------------------------------------------------------------------------------------------------
    // QueueNameConflict
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Two EventSinks whose derived queue names collide (team-a/events and team/a-events both give es-team-a-events).
     * The second one must report QueueNameConflict and leave the first one's queues exactly as they were.
     */
    @Test
    @Order(2)
    void queueOwnedByAnotherEventSinkIsAConflictAndIsNotTouched() {
        String name = "es-team-a-events";
        // the owner talks to ElasticMQ directly, so the front only sees the calls made for the second EventSink
        client.resource(eventSink(NS_OWNER, "events", elasticMq.endpoint(), s -> {}))
                .create();
        eventually().until(() -> isTrue(client, NS_OWNER, "events", Conditions.QUEUE_READY));
        Map<String, Map<QueueAttributeName, String>> attrsBefore = attributes(name, name + "-dlq");
        Map<String, Map<String, String>> tagsBefore = tags(name, name + "-dlq");
        assertThat(tagsBefore.get(name)).containsEntry(QueueModel.TAG_OWNER, NS_OWNER + "/events");

        long created = System.nanoTime();
        client.resource(eventSink(NS_CLASH, "a-events", front.endpoint(), s -> {}))
                .create();
        String uid = get(client, NS_CLASH, "a-events").getMetadata().getUid();
        eventually().until(() -> {
            Condition q = condition(client, NS_CLASH, "a-events", Conditions.QUEUE_READY);
            return q != null && "False".equals(q.status) && "QueueNameConflict".equals(q.reason);
        });
        Condition ready = condition(client, NS_CLASH, "a-events", Conditions.READY);
        assertThat(ready.reason).isEqualTo("QueueNameConflict");
        // the dead-letter queue is looked at first; it belongs to the other EventSink too
        assertThat(ready.message)
                .isEqualTo("queue " + name + "-dlq already exists and belongs to " + NS_OWNER
                        + "/events; set queue.name or queue.existingUrl");

        Predicate<Call> since = c -> c.at > created;
        await().during(Duration.ofSeconds(5))
                .atMost(Duration.ofSeconds(7))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> front.calls(since).size() == 2);
        assertThat(front.calls(since))
                .extracting(c -> c.action + " " + c.queue)
                .as("looked up and its tags read, nothing written, no retry within 5 s")
                .containsExactly("GetQueueUrl " + name + "-dlq", "ListQueueTags " + name + "-dlq");
        assertThat(attributes(name, name + "-dlq"))
                .as("foreign queues' attributes untouched")
                .isEqualTo(attrsBefore);
        assertThat(tags(name, name + "-dlq"))
                .as("foreign queues' tags untouched")
                .isEqualTo(tagsBefore);
        assertThat(warnings(NS_CLASH, uid, "QueueNameConflict"))
                .singleElement()
                .satisfies(e -> assertThat(e.getMessage()).isEqualTo(ready.message));
        assertThat(client.apps().deployments().inNamespace(NS_CLASH).list().getItems())
                .isEmpty();
        assertThat(isTrue(client, NS_OWNER, "events", Conditions.QUEUE_READY))
                .as("the owner is unaffected")
                .isTrue();
        System.out.printf(
                "SQS CONFLICTS: QueueNameConflict: SQS calls in 5 s for the second EventSink: %s%n",
                front.summary(since));
    }

    // ---------------------------------------------------------------------------------------------------------
    // QueueAlreadyExists (QueueNameExists): CreateQueue loses a race
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Between the operator's GetQueueUrl (no queue) and its CreateQueue, someone else creates the queue with different
     * attributes; ElasticMQ itself then answers CreateQueue with QueueAlreadyExists. If the queue carries this
     * EventSink's owner tag (another operator replica, say) the operator adopts it and puts its attributes back; if it
     * is someone else's, QueueNameConflict and nothing changed. Either way, one CreateQueue and no hot loop.
     */
    @Test
    @Order(3)
    void createQueueAnsweredQueueAlreadyExistsAdoptsOwnQueueAndRefusesForeignOne() {
        String own = "es-" + NS_RACE + "-sink";
        String foreign = "es-" + NS_RACE_FOREIGN + "-sink";
        front.beforeCreateOnce.put(
                own,
                () -> elasticMq.sqs.createQueue(r -> r.queueName(own)
                        .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "99"))
                        .tags(Map.of(
                                QueueModel.TAG_OWNER,
                                NS_RACE + "/sink",
                                QueueModel.TAG_MANAGED_BY,
                                "eventsink-operator"))));
        front.beforeCreateOnce.put(
                foreign,
                () -> elasticMq.sqs.createQueue(r -> r.queueName(foreign)
                        .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "99"))
                        .tags(Map.of(QueueModel.TAG_OWNER, "elsewhere/other"))));
        long created = System.nanoTime();
        client.resource(eventSink(NS_RACE, "sink", front.endpoint(), s -> {})).create();
        client.resource(eventSink(NS_RACE_FOREIGN, "sink", front.endpoint(), s -> {}))
                .create();

        // own queue: adopted, drift repaired, Ready
        eventually().until(() -> isTrue(client, NS_RACE, "sink", Conditions.QUEUE_READY));
        eventually()
                .until(() -> client.apps()
                                .deployments()
                                .inNamespace(NS_RACE)
                                .withName("sink")
                                .get()
                        != null);
        markDeploymentAvailable(client, NS_RACE, "sink", 2);
        eventually().until(() -> isTrue(client, NS_RACE, "sink", Conditions.READY));
        EventSink es = get(client, NS_RACE, "sink");
        Map<QueueAttributeName, String> ownAttrs = elasticMq
                .sqs
                .getQueueAttributes(r -> r.queueUrl(es.getStatus().queueUrl).attributeNames(QueueAttributeName.ALL))
                .attributes();
        assertThat(ownAttrs)
                .as("visibility timeout put back")
                .containsEntry(QueueAttributeName.VISIBILITY_TIMEOUT, "30");
        assertThat(ownAttrs.get(QueueAttributeName.REDRIVE_POLICY))
                .as("redrive policy added")
                .contains(es.getStatus().deadLetterQueueArn);
        assertThat(es.getStatus().queueManaged).isTrue();
        String ownUid = es.getMetadata().getUid();
        assertThat(events(NS_RACE, ownUid, "Warning", null))
                .as("a lost race is no failure")
                .isEmpty();

        // foreign queue: conflict, untouched
        eventually().until(() -> {
            Condition q = condition(client, NS_RACE_FOREIGN, "sink", Conditions.QUEUE_READY);
            return q != null && "False".equals(q.status) && "QueueNameConflict".equals(q.reason);
        });
        Condition conflict = condition(client, NS_RACE_FOREIGN, "sink", Conditions.READY);
        assertThat(conflict.message)
                .isEqualTo("queue " + foreign + " already exists and belongs to elsewhere/other;"
                        + " set queue.name or queue.existingUrl");
        Map<QueueAttributeName, String> foreignAttrs = attributes(foreign).get(foreign);

        // the CreateQueue race was answered by ElasticMQ itself, once per queue; no retry storm afterwards
        for (String q : List.of(own, foreign)) {
            await().during(Duration.ofSeconds(4))
                    .atMost(Duration.ofSeconds(6))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> front.calls(c -> c.at > created && c.is("CreateQueue") && q.equals(c.queue))
                                    .size()
                            == 1);
            Call create = front.calls(c -> c.at > created && c.is("CreateQueue") && q.equals(c.queue))
                    .get(0);
            assertThat(create.status).as(q).isEqualTo(400);
            // ElasticMQ's own answer; the SDK picks the exception class (QueueNameExistsException) from __type
            assertThat(create.errorType).as(q).isEqualTo("com.amazonaws.sqs#QueueNameExists");
        }
        Predicate<Call> foreignWrites = c -> c.at > created
                && foreign.equals(c.queue)
                && Set.of("SetQueueAttributes", "TagQueue", "UntagQueue", "DeleteQueue")
                        .contains(c.action);
        assertThat(front.calls(foreignWrites))
                .as("nothing written to the foreign queue")
                .isEmpty();
        assertThat(foreignAttrs).containsEntry(QueueAttributeName.VISIBILITY_TIMEOUT, "99");
        assertThat(foreignAttrs.get(QueueAttributeName.REDRIVE_POLICY)).isNullOrEmpty();
        assertThat(tags(foreign).get(foreign)).isEqualTo(Map.of(QueueModel.TAG_OWNER, "elsewhere/other"));
        Predicate<Call> foreignCalls = c -> c.at > created && foreign.equals(c.queue);
        // the first look-up is the ownership check made before the dead-letter queue is created
        assertThat(front.calls(foreignCalls))
                .extracting(c -> c.action)
                .as("one pass, no retry yet")
                .containsExactly("GetQueueUrl", "GetQueueUrl", "CreateQueue", "GetQueueUrl", "ListQueueTags");
        String foreignUid = get(client, NS_RACE_FOREIGN, "sink").getMetadata().getUid();
        assertThat(warnings(NS_RACE_FOREIGN, foreignUid, "QueueNameConflict")).hasSize(1);
        assertThat(client.apps()
                        .deployments()
                        .inNamespace(NS_RACE_FOREIGN)
                        .list()
                        .getItems())
                .isEmpty();
        System.out.printf(
                "SQS CONFLICTS: QueueAlreadyExists: own queue adopted and repaired, SQS calls %s;"
                        + " foreign queue refused, SQS calls %s%n",
                front.summary(c -> c.at > created && own.equals(c.queue)), front.summary(foreignCalls));
    }

    // ---------------------------------------------------------------------------------------------------------
    // helpers
    // ---------------------------------------------------------------------------------------------------------

    private static boolean queueExists(String name) {
        return elasticMq.sqs.listQueues(r -> r.queueNamePrefix(name)).queueUrls().stream()
                .anyMatch(u -> u.endsWith("/" + name));
    }

    private static Map<String, Map<QueueAttributeName, String>> attributes(String... names) {
        Map<String, Map<QueueAttributeName, String>> out = new java.util.TreeMap<>();
        for (String n : names) {
            String url = elasticMq.sqs.getQueueUrl(r -> r.queueName(n)).queueUrl();
            out.put(
                    n,
                    elasticMq
                            .sqs
                            .getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.ALL))
                            .attributes());
        }
        return out;
    }

    private static Map<String, Map<String, String>> tags(String... names) {
        Map<String, Map<String, String>> out = new java.util.TreeMap<>();
        for (String n : names) {
            String url = elasticMq.sqs.getQueueUrl(r -> r.queueName(n)).queueUrl();
            out.put(n, elasticMq.sqs.listQueueTags(r -> r.queueUrl(url)).tags());
        }
        return out;
    }

    /** The mock API server has no garbage collector: remove what owner references would have removed. */
    private static void playGarbageCollector(String ns) {
        for (Class<? extends HasMetadata> type : List.of(
                ServiceAccount.class,
                ConfigMap.class,
                Deployment.class,
                Service.class,
                HorizontalPodAutoscaler.class,
                PodDisruptionBudget.class)) {
            client.resources(type).inNamespace(ns).delete();
        }
        eventually()
                .until(() -> client.apps()
                        .deployments()
                        .inNamespace(ns)
                        .list()
                        .getItems()
                        .isEmpty());
    }

    private static List<Event> warnings(String ns, String uid, String reason) {
        return events(ns, uid, "Warning", reason);
    }

    private static List<Event> events(String ns, String uid, String type, String reason) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> uid.equals(e.getInvolvedObject().getUid())
                        && type.equals(e.getType())
                        && (reason == null || reason.equals(e.getReason())))
                .toList();
    }

    /** One SQS call as the front saw it. */
    record Call(long at, String action, String queue, int status, String queryError, String errorType) {
        boolean is(String a) {
            return action.equals(a);
        }
    }

    /**
     * An SQS endpoint in front of ElasticMQ (AWS JSON protocol, as SDK v2 speaks it). It forwards every call, except
     * that it applies SQS's rule ElasticMQ lacks: CreateQueue of a name deleted (through this front) less than 60 s
     * ago is answered 400 QueueDeletedRecently in the shape SQS uses (__type plus the query-compatible error header).
     */
    static final class SqsFront implements AutoCloseable {
        static final long DELETED_RECENTLY_NANOS = Duration.ofSeconds(60).toNanos();
        final HttpServer http;
        final String target;
        final HttpClient forwarder = HttpClient.newHttpClient();
        final List<Call> calls = new CopyOnWriteArrayList<>();
        final Map<String, Long> deletedAt = new ConcurrentHashMap<>();
        /** Run just before the first CreateQueue of that name is forwarded: another party creating it first. */
        final Map<String, Runnable> beforeCreateOnce = new ConcurrentHashMap<>();

        private SqsFront(HttpServer http, String target) {
            this.http = http;
            this.target = target;
        }

        static SqsFront start(String target) throws IOException {
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            SqsFront front = new SqsFront(http, target);
            http.createContext("/", front::handle);
            http.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
            http.start();
            return front;
        }

        String endpoint() {
            return "http://127.0.0.1:" + http.getAddress().getPort();
        }

        List<Call> calls(Predicate<Call> filter) {
            return calls.stream().filter(filter).toList();
        }

        String summary(Predicate<Call> filter) {
            Map<String, Long> out = new java.util.TreeMap<>();
            calls(filter).forEach(c -> out.merge(c.action, 1L, Long::sum));
            return out.toString();
        }

        @SuppressWarnings("unchecked")
        private void handle(HttpExchange ex) throws IOException {
            long at = System.nanoTime();
            byte[] body = ex.getRequestBody().readAllBytes();
            String amzTarget = ex.getRequestHeaders().getFirst("X-Amz-Target");
            String action = amzTarget == null ? "?" : amzTarget.substring(amzTarget.indexOf('.') + 1);
            Map<String, Object> json = body.length == 0
                    ? Map.of()
                    : Serialization.unmarshal(new String(body, StandardCharsets.UTF_8), Map.class);
            String queue = json.get("QueueName") != null
                    ? (String) json.get("QueueName")
                    : json.get("QueueUrl") != null ? lastSegment((String) json.get("QueueUrl")) : null;
            try (ex) {
                Long deleted = queue == null ? null : deletedAt.get(queue);
                if ("CreateQueue".equals(action) && deleted != null && at - deleted < DELETED_RECENTLY_NANOS) {
                    String error = "AWS.SimpleQueueService.QueueDeletedRecently;Sender";
                    calls.add(new Call(at, action, queue, 400, error, "com.amazonaws.sqs#QueueDeletedRecently"));
                    SqsWire.error(
                            ex,
                            400,
                            "com.amazonaws.sqs#QueueDeletedRecently",
                            error,
                            "You must wait 60 seconds"
                                    + " after deleting a queue before you can create another with the same name.");
                    return;
                }
                if ("CreateQueue".equals(action) && queue != null) {
                    Runnable hook = beforeCreateOnce.remove(queue);
                    if (hook != null) {
                        hook.run();
                    }
                }
                HttpResponse<byte[]> response = SqsWire.forward(forwarder, target, ex, body);
                String queryError =
                        response.headers().firstValue("x-amzn-query-error").orElse(null);
                String errorType = null;
                if (response.statusCode() >= 400 && response.body().length > 0) {
                    errorType = (String)
                            Serialization.unmarshal(new String(response.body(), StandardCharsets.UTF_8), Map.class)
                                    .get("__type");
                }
                calls.add(new Call(at, action, queue, response.statusCode(), queryError, errorType));
                if ("DeleteQueue".equals(action) && response.statusCode() == 200 && queue != null) {
                    deletedAt.put(queue, System.nanoTime());
                }
                SqsWire.relay(ex, response);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static String lastSegment(String url) {
            return url.substring(url.lastIndexOf('/') + 1);
        }

        @Override
        public void close() {
            http.stop(0);
            forwarder.close();
        }
    }
}
