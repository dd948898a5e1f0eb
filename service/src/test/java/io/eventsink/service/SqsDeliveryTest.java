package io.eventsink.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventsink.embeddedsqs.EmbeddedSqs;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/** Events go into a real SQS-protocol queue exactly as received, with the contract's attributes. */
class SqsDeliveryTest {

    private static EmbeddedSqs sqs;

    @BeforeAll
    static void start() {
        sqs = EmbeddedSqs.start();
    }

    @AfterAll
    static void stop() {
        sqs.close();
    }

    @Test
    void everyEventTypeRoundTripsByteIdenticalWithAttributes() {
        String queue = sqs.createQueue("round-trip");
        Map<String, String> sent = Events.allValid("rt-1");
        // Odd but valid formatting and characters must survive untouched.
        String odd = "{ \"event\" : \"heartbeat\",\n  \"sessionId\" : \"rt-\u00e5\u00e4\u00f6-\uD83C\uDFAC-\\\"q\\\"\","
                + " \"timestamp\" : 1.7000000055e12, \"playhead\":5000.25,\"duration\":-1, \"shardId\":\"eu-1\" }\n";
        try (RunningSink sink = RunningSink.sqs(sqs, queue, Map.of())) {
            for (String body : sent.values()) {
                assertThat(sink.post(body, "text/plain", Map.of("Origin", "https://player.example"))
                                .statusCode())
                        .isEqualTo(200);
            }
            assertThat(sink.post(odd, null, Map.of()).statusCode()).isEqualTo(200);
        }
        List<Message> messages = sqs.drain(queue, Duration.ofMillis(500));
        assertThat(messages).hasSize(sent.size() + 1);
        Map<String, Message> byBody = messages.stream().collect(Collectors.toMap(Message::body, Function.identity()));
        for (Map.Entry<String, String> e : sent.entrySet()) {
            Message m = byBody.get(e.getValue());
            assertThat(m).as("message for %s", e.getKey()).isNotNull();
            assertThat(m.messageAttributes().get("Event").stringValue()).isEqualTo(e.getKey());
            assertThat(m.messageAttributes().get("Event").dataType()).isEqualTo("String");
            assertThat(m.messageAttributes().get("Origin").stringValue()).isEqualTo("https://player.example");
            assertThat(Long.parseLong(m.messageAttributes().get("ReceivedAt").stringValue()))
                    .isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
        }
        assertThat(byBody.get(sent.get("init")).messageAttributes().get("Time").stringValue())
                .isEqualTo("-1");
        assertThat(byBody.get(sent.get("stopped"))
                        .messageAttributes()
                        .get("Time")
                        .stringValue())
                .isEqualTo("1700000016000");
        Message oddMessage = byBody.get(odd);
        assertThat(oddMessage).isNotNull();
        assertThat(oddMessage.body().getBytes(StandardCharsets.UTF_8)).isEqualTo(odd.getBytes(StandardCharsets.UTF_8));
        assertThat(oddMessage.messageAttributes().get("Time").stringValue()).isEqualTo("1.7000000055e12");
        assertThat(oddMessage.messageAttributes()).doesNotContainKey("Origin");
    }

    @Test
    void concurrentEventsAreBatchedAndAllArrive() throws Exception {
        String queue = sqs.createQueue("batched");
        int clients = 16;
        int perClient = 40;
        Set<String> acknowledged;
        String metricsBefore;
        String metrics;
        try (RunningSink sink = RunningSink.sqs(sqs, queue, Map.of("BATCH_LINGER_MS", "5"));
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            metricsBefore = sink.management("metrics").body();
            List<Callable<List<String>>> jobs = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                jobs.add(() -> {
                    List<String> ok = new ArrayList<>();
                    for (int i = 0; i < perClient; i++) {
                        String sid = "batch-" + client + "-" + i;
                        HttpResponse<String> r = sink.post(Events.heartbeat(sid, 1700000000000L + i));
                        if (r.statusCode() == 200) {
                            ok.add(sid);
                        }
                    }
                    return ok;
                });
            }
            acknowledged = new HashSet<>();
            for (Future<List<String>> f : pool.invokeAll(jobs)) {
                acknowledged.addAll(f.get());
            }
            metrics = sink.management("metrics").body();
        }
        assertThat(acknowledged).hasSize(clients * perClient);
        Set<String> delivered = sqs.drain(queue, Duration.ofMillis(500)).stream()
                .map(m -> m.body().replaceAll(".*\"sessionId\":\"([^\"]+)\".*", "$1"))
                .collect(Collectors.toSet());
        assertThat(delivered).containsAll(acknowledged);
        // Fewer queue calls than events: requests were grouped into batches.
        // Meters are per JVM, so compare before and after.
        double batches = metricValue(metrics, "eventsink_batch_size_count")
                - metricValue(metricsBefore, "eventsink_batch_size_count");
        double events = metricValue(metrics, "eventsink_batch_size_sum")
                - metricValue(metricsBefore, "eventsink_batch_size_sum");
        assertThat(events).as(metrics).isEqualTo(clients * perClient);
        assertThat(batches).isLessThan(events);
    }

    static double metricValue(String prometheus, String name) {
        return prometheus
                .lines()
                .filter(l ->
                        l.startsWith(name) && l.length() > name.length() && "{ ,".indexOf(l.charAt(name.length())) >= 0)
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
