package io.eventsink.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventsink.embeddedsqs.EmbeddedSqs;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The queue goes away and comes back: no 200 while it is gone, readiness follows, recovery is automatic. */
class SqsOutageTest {

    @Test
    void answers503WhileTheQueueIsDownAndRecovers() {
        try (EmbeddedSqs sqs = EmbeddedSqs.start()) {
            String queue = sqs.createQueue("outage");
            try (RunningSink sink = RunningSink.sqs(sqs, queue, Map.of("DELIVERY_TIMEOUT_MS", "1500"))) {
                assertThat(sink.post(Events.heartbeat("before", 1)).statusCode())
                        .isEqualTo(200);
                assertThat(sqs.drain(queue, Duration.ofMillis(200))).hasSize(1);

                sqs.stop();
                List<Integer> statuses = new ArrayList<>();
                // Keep posting until the service has noticed; every answer must be a 503 with Retry-After.
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    HttpResponse<String> r = sink.post(Events.heartbeat("during", 2));
                    statuses.add(r.statusCode());
                    assertThat(r.statusCode()).isEqualTo(503);
                    assertThat(r.headers().firstValue("Retry-After")).isPresent();
                    assertThat(r.body()).contains("retry later");
                    return sink.management("health/ready").statusCode() == 503;
                });
                assertThat(statuses).isNotEmpty().doesNotContain(200);
                assertThat(sink.management("health/ready").body()).contains("queue unreachable");
                assertThat(sink.management("health/live").statusCode()).isEqualTo(200);

                sqs.restart();
                sqs.createQueue("outage"); // ElasticMQ keeps queues in memory: the restart lost it
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> sink.management("health/ready").statusCode() == 200);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> sink.post(Events.heartbeat("after", 3)).statusCode() == 200);
                assertThat(sqs.drain(queue, Duration.ofMillis(300)))
                        .extracting(m -> m.body().contains("\"after\""))
                        .contains(true);
                assertThat(SqsDeliveryTest.metricValue(
                                sink.management("metrics").body(), "eventsink_events_rejected_total"))
                        .isGreaterThan(0);
            }
        }
    }
}
