package io.eventsink.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A queue endpoint that accepts connections and never answers (a real TCP peer, not a mock):
 * the pending buffer fills, and further events are refused at once instead of piling up.
 */
class BackpressureTest {

    @Test
    void fullBufferAnswers503RetryAfterImmediately() throws Exception {
        try (BlackHole hole = new BlackHole();
                RunningSink sink = RunningSink.with(
                        io.eventsink.service.EventSinkServer.writerFor(RunningSink.settings(Map.of(
                                "SQS_QUEUE_URL",
                                "http://127.0.0.1:" + hole.port() + "/000000000000/q",
                                "SQS_ENDPOINT",
                                "http://127.0.0.1:" + hole.port(),
                                "AWS_REGION",
                                "elasticmq"))),
                        Map.of("MAX_PENDING_EVENTS", "4", "DELIVERY_TIMEOUT_MS", "3000"))) {
            double refusedBefore = SqsDeliveryTest.metricValue(
                    sink.management("metrics").body(), "eventsink_events_rejected_total{reason=\"backpressure\"");
            List<CompletableFuture<HttpResponse<String>>> stuck = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String body = Events.heartbeat("stuck-" + i, i);
                stuck.add(CompletableFuture.supplyAsync(() -> sink.post(body)));
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> sink.management("health/ready").statusCode() == 503);
            assertThat(sink.management("health/ready").body()).contains("pending buffer full");

            long start = System.nanoTime();
            HttpResponse<String> refused = sink.post(Events.heartbeat("one-too-many", 9));
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(refused.body()).contains("too many events pending");
            // Refused without waiting for the delivery timeout (3 s).
            assertThat(tookMs).isLessThan(2500);

            // The stuck ones never got a 200: the queue never confirmed them.
            for (CompletableFuture<HttpResponse<String>> f : stuck) {
                assertThat(f.get().statusCode()).isEqualTo(503);
            }
            assertThat(SqsDeliveryTest.metricValue(
                            sink.management("metrics").body(),
                            "eventsink_events_rejected_total{reason=\"backpressure\""))
                    .isEqualTo(refusedBefore + 1);
        }
    }

    /** Accepts TCP connections and reads nothing back: the slowest possible queue. */
    static final class BlackHole implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> held = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        BlackHole() {
            try {
                server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            acceptor = Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        held.add(server.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : held) {
                s.close();
            }
            acceptor.interrupt();
        }
    }
}
