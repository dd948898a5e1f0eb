package io.eventsink.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventsink.embeddedsqs.EmbeddedSqs;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The warm-up before readiness: readiness and the startup check stay DOWN (saying so) while the pod
 * drives its own request path against an in-process stand-in, then come UP; the real queue never sees
 * a warm-up event, and the pod's meters count none of them.
 */
class WarmupTest {

    private static EmbeddedSqs sqs;

    @BeforeAll
    static void start() {
        sqs = EmbeddedSqs.start();
    }

    @AfterAll
    static void stop() {
        sqs.close();
    }

    private static long metric(RunningSink sink, String name) {
        return sink.management("metrics")
                .body()
                .lines()
                .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void readinessWaitsForTheWarmUpWhichNeverReachesTheRealQueue() {
        String queue = sqs.createQueue("warmup");
        try (RunningSink sink = RunningSink.sqs(
                sqs,
                queue,
                Map.of("WARMUP_ENABLED", "true", "WARMUP_TIMEOUT_MS", "3000", "SQS_MESSAGE_FORMAT", "packed"))) {
            long acceptedBefore = metric(sink, "eventsink_events_accepted_total");
            HttpResponse<String> warming = sink.management("health/ready");
            assertThat(warming.statusCode()).isEqualTo(503);
            assertThat(warming.body()).contains("\"reason\":\"warming up\"").contains("\"warmup\":\"running\"");
            assertThat(sink.management("health/started").statusCode()).isEqualTo(503);
            assertThat(metric(sink, "eventsink_warmup_active")).isEqualTo(1);

            // the public port serves meanwhile (a load balancer only waits for readiness)
            assertThat(sink.post(Events.heartbeat("real-1", 1700000000000L)).statusCode())
                    .isEqualTo(200);

            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> sink.management("health/ready").statusCode() == 200);
            HttpResponse<String> ready = sink.management("health/ready");
            assertThat(ready.body()).containsPattern("\"warmup\":\"(done|timed_out)\"");
            assertThat(sink.management("health/started").statusCode()).isEqualTo(200);
            assertThat(metric(sink, "eventsink_warmup_active")).isZero();
            assertThat(metric(sink, "eventsink_warmup_requests")).isGreaterThan(100);
            assertThat(metric(sink, "eventsink_events_accepted_total"))
                    .as("the warm-up's events are counted on their own meters, not the pod's")
                    .isEqualTo(acceptedBefore + 1);
        }
        assertThat(sqs.drain(queue, Duration.ofMillis(500)))
                .as("only the real event, none of the warm-up's")
                .singleElement()
                .satisfies(m -> assertThat(m.body()).contains("real-1"));
    }

    @Test
    void switchedOffReadinessComesUpAtOnce() {
        String queue = sqs.createQueue("no-warmup");
        try (RunningSink sink = RunningSink.sqs(sqs, queue, Map.of("WARMUP_ENABLED", "false"))) {
            HttpResponse<String> ready = sink.management("health/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"warmup\":\"off\"");
            assertThat(sink.management("health/started").statusCode()).isEqualTo(200);
        }
    }
}
