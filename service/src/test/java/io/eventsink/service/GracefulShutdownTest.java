package io.eventsink.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventsink.embeddedsqs.EmbeddedSqs;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Shutdown in the middle of load: every event that got a 200 is in the queue. */
class GracefulShutdownTest {

    @Test
    void readinessGoesDownFirstWhileEventsAreStillServed() throws Exception {
        try (EmbeddedSqs sqs = EmbeddedSqs.start()) {
            String queue = sqs.createQueue("shutdown-delay");
            RunningSink sink = RunningSink.sqs(sqs, queue, Map.of("SHUTDOWN_DELAY_MS", "3000"));
            assertThat(sink.management("health/ready").statusCode()).isEqualTo(200);
            Thread stopper = Thread.ofVirtual().start(sink.server::shutdown);
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> sink.management("health/ready").statusCode() == 503);
            assertThat(sink.management("health/ready").body()).contains("shutting down");
            // During the delay the load balancer may still send traffic: it is served, not dropped.
            assertThat(sink.post(Events.heartbeat("late", 5)).statusCode()).isEqualTo(200);
            stopper.join(Duration.ofSeconds(30));
            assertThat(sink.server.running()).isFalse();
            assertThat(sqs.drain(queue, Duration.ofMillis(300))).hasSize(1);
        }
    }

    @Test
    void everyAcknowledgedEventIsDeliveredWhenStoppedUnderLoad() throws Exception {
        try (EmbeddedSqs sqs = EmbeddedSqs.start()) {
            String queue = sqs.createQueue("shutdown");
            RunningSink sink = RunningSink.sqs(sqs, queue, Map.of("BATCH_LINGER_MS", "3"));
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicInteger failures = new AtomicInteger();
            AtomicInteger sequence = new AtomicInteger();
            CountDownLatch warmedUp = new CountDownLatch(300);
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int c = 0; c < 24; c++) {
                    clients.submit(() -> {
                        while (true) {
                            String sid = "sd-" + sequence.incrementAndGet();
                            HttpResponse<String> r;
                            try {
                                r = sink.post(Events.heartbeat(sid, 1));
                            } catch (RuntimeException e) {
                                failures.incrementAndGet(); // connection refused/reset once stopped
                                if (!sink.server.running()) {
                                    return;
                                }
                                continue;
                            }
                            if (r.statusCode() == 200) {
                                acknowledged.add(sid);
                                warmedUp.countDown();
                            } else {
                                failures.incrementAndGet();
                                if (!sink.server.running()) {
                                    return;
                                }
                            }
                        }
                    });
                }
                assertThat(warmedUp.await(30, TimeUnit.SECONDS)).isTrue();
                long start = System.nanoTime();
                sink.server.shutdown();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
            }
            Set<String> delivered = sqs.drain(queue, Duration.ofMillis(500)).stream()
                    .map(m -> m.body().replaceAll(".*\"sessionId\":\"([^\"]+)\".*", "$1"))
                    .collect(Collectors.toSet());
            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(300);
            Set<String> lost =
                    acknowledged.stream().filter(id -> !delivered.contains(id)).collect(Collectors.toSet());
            assertThat(lost).as("acknowledged but not in the queue").isEmpty();
        }
    }
}
