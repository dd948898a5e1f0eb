package io.eventsink.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * MAX_CONCURRENT_REQUESTS: once that many requests are in progress on the public port, the next
 * one is refused at once with 503 + Retry-After and a JSON body — load is shed instead of every
 * request queueing until it times out — while the management port keeps answering.
 */
class OverloadSheddingTest {

    @Test
    void requestsBeyondTheLimitAreShedAtOnceWith503() throws Exception {
        // A queue that never answers keeps the first requests in progress for DELIVERY_TIMEOUT_MS.
        try (LogCapture logs = new LogCapture();
                BackpressureTest.BlackHole hole = new BackpressureTest.BlackHole();
                RunningSink sink = RunningSink.with(
                        EventSinkServer.writerFor(RunningSink.settings(Map.of(
                                "SQS_QUEUE_URL",
                                "http://127.0.0.1:" + hole.port() + "/000000000000/q",
                                "SQS_ENDPOINT",
                                "http://127.0.0.1:" + hole.port(),
                                "AWS_REGION",
                                "elasticmq"))),
                        Map.of(
                                "MAX_CONCURRENT_REQUESTS",
                                "3",
                                "MAX_PENDING_EVENTS",
                                "100",
                                "DELIVERY_TIMEOUT_MS",
                                "4000"))) {
            double shedBefore = SqsDeliveryTest.metricValue(
                    sink.management("metrics").body(), "eventsink_events_rejected_total{reason=\"overloaded\"");
            List<CompletableFuture<HttpResponse<String>>> inProgress = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String body = Events.heartbeat("busy-" + i, i);
                inProgress.add(CompletableFuture.supplyAsync(() -> sink.post(body)));
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> SqsDeliveryTest.metricValue(
                                    sink.management("metrics").body(), "eventsink_events_pending")
                            == 3);

            long start = System.nanoTime();
            HttpResponse<String> shed = sink.post(Events.heartbeat("one-too-many", 9));
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(shed.statusCode()).isEqualTo(503);
            assertThat(shed.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(shed.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            JsonObject answer = PublicApiTest.json(shed);
            assertThat(answer.getString("message")).isEqualTo("Too many requests in progress, retry later");
            // At once, not after the 4 s delivery timeout the requests in progress are waiting out.
            assertThat(tookMs).isLessThan(2000);
            // Health and metrics are on their own listener and stay reachable.
            assertThat(sink.management("health/live").statusCode()).isEqualTo(200);
            assertThat(SqsDeliveryTest.metricValue(
                            sink.management("metrics").body(), "eventsink_events_rejected_total{reason=\"overloaded\""))
                    .isEqualTo(shedBefore + 1);

            // The requests in progress were never stored: they end with 503 (timeout), not 200.
            for (CompletableFuture<HttpResponse<String>> f : inProgress) {
                assertThat(f.get().statusCode()).isEqualTo(503);
            }
            // Once they are done the sink takes requests again (the black hole still never stores
            // anything, so this one is refused by the pipeline, not by the limit).
            HttpResponse<String> after = sink.post(Events.heartbeat("after", 10));
            assertThat(PublicApiTest.json(after).containsKey("sessionId")).isTrue();
            assertThat(logs.withStackTraces())
                    .as("shedding is not an error worth a stack trace")
                    .isEmpty();
        }
    }
}
