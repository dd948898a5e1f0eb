package io.eventsink.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventsink.service.HostileInputTest.Raw;
import io.eventsink.service.delivery.StdoutBatchWriter;
import io.eventsink.service.http.connection.ConnectionGuard;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Slow and stalled clients over raw sockets: every phase of a request has a deadline (head, body,
 * idle keep-alive), past which the client gets 408 (if a request had started) and the connection
 * is closed; a stalled body never holds a slot of MAX_CONCURRENT_REQUESTS; connections beyond
 * MAX_CONNECTIONS are refused at once. Deadlines here are short (the smallest the settings allow)
 * so the test is quick.
 */
class SlowClientTest {

    private static final long HEAD_MS = 500;
    private static final long BODY_MS = 500;
    private static final long IDLE_MS = 1000;
    private static final Map<String, String> DEADLINES = Map.of(
            "REQUEST_HEAD_TIMEOUT_MS", Long.toString(HEAD_MS),
            "REQUEST_BODY_TIMEOUT_MS", Long.toString(BODY_MS),
            "IDLE_CONNECTION_TIMEOUT_MS", Long.toString(IDLE_MS));

    private static RunningSink sink(Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>(DEADLINES);
        env.putAll(extra);
        return RunningSink.with(new StdoutBatchWriter(new ByteArrayOutputStream()), env);
    }

    private static String heartbeat(String sid) {
        String body = Events.heartbeat(sid, 1);
        return "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body;
    }

    /** Answers on the public port by status, as the request timer counts them. */
    private static final String ANSWERED = "eventsink_http_request_seconds_count{scope=\"application\",status=\"";
    /** Every close at a client's deadline is timed from that deadline. */
    private static final String CLOSED_LATE = "eventsink_connections_close_lateness_seconds_count";

    private static double metric(RunningSink sink, String series) {
        return SqsDeliveryTest.metricValue(sink.management("metrics").body(), series);
    }

    @Test
    void aHalfSentHeadGets408AndIsClosedAfterTheHeadDeadline() throws Exception {
        try (RunningSink sink = sink(Map.of());
                Raw raw = new Raw(sink.server.port())) {
            double before = metric(sink, "eventsink_connections_closed_total{reason=\"head_timeout\"");
            double rejected = metric(sink, "eventsink_events_rejected_total{reason=\"request_timeout\"");
            double answered408 = metric(sink, ANSWERED + "408\"");
            double closedLate = metric(sink, CLOSED_LATE);
            // a kept-alive connection: the next head's deadline runs from its first byte
            raw.send(heartbeat("before"));
            assertThat(raw.read().status()).isEqualTo(200);
            long start = System.nanoTime();
            raw.send("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty");
            Raw.Answer answer = raw.read();
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(answer.status()).isEqualTo(408);
            assertThat(answer.headers())
                    .containsEntry("content-type", "application/json")
                    .containsEntry("connection", "close");
            assertThat(answer.body()).isEqualTo("{\"message\":\"Request head not received within 500 ms\"}");
            assertThat(tookMs).as("not before the deadline").isGreaterThanOrEqualTo(HEAD_MS - 50);
            assertThat(raw.closedByServer()).isTrue();
            assertThat(metric(sink, "eventsink_connections_closed_total{reason=\"head_timeout\""))
                    .isEqualTo(before + 1);
            assertThat(metric(sink, "eventsink_events_rejected_total{reason=\"request_timeout\""))
                    .isEqualTo(rejected + 1);
            // dashboards count answers by status from the request timer: the guard's 408 is one of them
            assertThat(metric(sink, ANSWERED + "408\"")).isEqualTo(answered408 + 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> metric(sink, CLOSED_LATE) == closedLate + 1);
        }
    }

    @Test
    void aHeadDrippingInByteByByteIsCutAtTheDeadlineFromItsFirstByte() throws Exception {
        try (RunningSink sink = sink(Map.of());
                Raw raw = new Raw(sink.server.port())) {
            String head = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "s".repeat(100) + "\r\n";
            CompletableFuture<Raw.Answer> answer = CompletableFuture.supplyAsync(raw::read);
            for (int i = 0; i < head.length() && !answer.isDone(); i++) {
                try {
                    raw.send(head.substring(i, i + 1));
                } catch (java.io.IOException closed) {
                    break;
                }
                await().pollDelay(Duration.ofMillis(50)).until(() -> true);
            }
            // Bytes kept coming, but the head as a whole did not arrive in time.
            assertThat(answer.get().status()).isEqualTo(408);
        }
    }

    @Test
    void aConnectionThatNeverSendsARequestIsClosedWithoutAnAnswer() throws Exception {
        try (RunningSink sink = sink(Map.of());
                Raw raw = new Raw(sink.server.port())) {
            assertThat(raw.rest()).isEqualTo("<closed>");
        }
    }

    @Test
    void aStalledBodyGets408AfterTheBodyDeadline() throws Exception {
        try (RunningSink sink = sink(Map.of())) {
            double before = metric(sink, "eventsink_connections_closed_total{reason=\"body_timeout\"");
            double timeouts = metric(sink, "eventsink_events_rejected_total{reason=\"request_timeout\"");
            double malformed = metric(sink, "eventsink_events_rejected_total{reason=\"malformed_body\"");
            double answered200 = metric(sink, ANSWERED + "200\"");
            double answered408 = metric(sink, ANSWERED + "408\"");
            double seconds408 = metric(sink, "eventsink_http_request_seconds_sum{scope=\"application\",status=\"408\"");
            // connected only now: a new connection's head deadline runs from its accept
            try (Raw raw = new Raw(sink.server.port())) {
                raw.send("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{");
                Raw.Answer answer = raw.read();
                assertThat(answer.status()).isEqualTo(408);
                assertThat(answer.body()).contains("Request body not received within 500 ms");
                // one answer only: the handler reading the body must not answer too once the deadline passed
                assertThat(raw.closedByServer()).isTrue();
                assertThat(metric(sink, "eventsink_connections_closed_total{reason=\"body_timeout\""))
                        .isEqualTo(before + 1);
                assertThat(metric(sink, "eventsink_events_rejected_total{reason=\"request_timeout\""))
                        .isEqualTo(timeouts + 1);
                assertThat(metric(sink, "eventsink_events_rejected_total{reason=\"malformed_body\""))
                        .isEqualTo(malformed);
                // counted once, as the 408 it was answered, timed from its first byte; never as the 200
                // the unanswered handler's response would still say
                assertThat(metric(sink, ANSWERED + "408\"")).isEqualTo(answered408 + 1);
                assertThat(metric(sink, "eventsink_http_request_seconds_sum{scope=\"application\",status=\"408\""))
                        .isGreaterThanOrEqualTo(seconds408 + BODY_MS / 1000.0);
                assertThat(metric(sink, ANSWERED + "200\"")).isEqualTo(answered200);
            }
        }
    }

    @Test
    void aSlowBodyWithinTheDeadlineIsServed() throws Exception {
        try (RunningSink sink = sink(Map.of("REQUEST_BODY_TIMEOUT_MS", "5000"));
                Raw raw = new Raw(sink.server.port())) {
            String body = Events.heartbeat("slow-but-fine", 1);
            raw.send("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + body.length() + "\r\n\r\n");
            for (int i = 0; i < body.length(); i += 10) {
                raw.send(body.substring(i, Math.min(body.length(), i + 10)));
                await().pollDelay(Duration.ofMillis(30)).until(() -> true);
            }
            assertThat(raw.read().status()).isEqualTo(200);
        }
    }

    @Test
    void keepAliveConnectionsServeManyRequestsThenCloseWhenIdle() throws Exception {
        try (RunningSink sink = sink(Map.of());
                Raw raw = new Raw(sink.server.port())) {
            double before = metric(sink, "eventsink_connections_closed_total{reason=\"idle_timeout\"");
            double closedLate = metric(sink, CLOSED_LATE);
            for (int i = 0; i < 3; i++) {
                raw.send(heartbeat("keep-" + i));
                assertThat(raw.read().status()).isEqualTo(200);
            }
            // two pipelined requests in one write
            raw.send(heartbeat("pipe-1") + heartbeat("pipe-2"));
            assertThat(raw.read().status()).isEqualTo(200);
            assertThat(raw.read().status()).isEqualTo(200);
            long start = System.nanoTime();
            assertThat(raw.rest()).as("closed without an answer").isEqualTo("<closed>");
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(IDLE_MS - 100);
            assertThat(metric(sink, "eventsink_connections_closed_total{reason=\"idle_timeout\""))
                    .isEqualTo(before + 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> metric(sink, CLOSED_LATE) == closedLate + 1);
        }
    }

    /**
     * The starvation case: clients that sent a head and one byte of their body used to hold
     * MAX_CONCURRENT_REQUESTS slots for as long as they liked, so every ready request got 503. Now
     * a request counts only once its body is in.
     */
    @Test
    void stalledBodiesDoNotStarveReadyRequests() throws Exception {
        try (RunningSink sink = sink(Map.of("MAX_CONCURRENT_REQUESTS", "2", "REQUEST_BODY_TIMEOUT_MS", "20000"))) {
            List<Raw> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    Raw raw = new Raw(sink.server.port());
                    raw.send("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{");
                    stalled.add(raw);
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> metric(sink, "eventsink_connections_open") >= 20);
                for (int i = 0; i < 20; i++) {
                    HttpResponse<String> r = sink.post(Events.heartbeat("ready-" + i, i));
                    assertThat(r.statusCode()).as("ready request " + i).isEqualTo(200);
                }
            } finally {
                for (Raw raw : stalled) {
                    raw.close();
                }
            }
        }
    }

    /**
     * A client that sends requests but stops reading the answers: once its socket buffers are full
     * the answer's write blocks, and used to hold the connection, its thread and its
     * MAX_CONCURRENT_REQUESTS slot for as long as the client liked. The send deadline closes it.
     */
    @Test
    void aClientThatStopsReadingItsAnswersIsClosedAtTheSendDeadlineAndFreesItsSlot() throws Exception {
        try (LogCapture logs = new LogCapture();
                RunningSink sink = sink(Map.of("MAX_CONCURRENT_REQUESTS", "1", "RESPONSE_SEND_TIMEOUT_MS", "500"));
                Socket notReading = new Socket()) {
            double before = metric(sink, "eventsink_connections_closed_total{reason=\"send_timeout\"");
            double closedLate = metric(sink, CLOSED_LATE);
            notReading.setReceiveBufferSize(2048);
            notReading.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), sink.server.port()));
            // Pipelined requests, never a byte read back, until the service closes the connection.
            byte[] burst = heartbeat("not-reading").repeat(200).getBytes(StandardCharsets.ISO_8859_1);
            CompletableFuture<Long> sent = CompletableFuture.supplyAsync(() -> {
                long requests = 0;
                try {
                    OutputStream out = notReading.getOutputStream();
                    while (true) {
                        out.write(burst);
                        requests += 200;
                    }
                } catch (IOException closedByTheService) {
                    return requests;
                }
            });
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> metric(sink, "eventsink_connections_closed_total{reason=\"send_timeout\"") > before);
            assertThat(sent.get(10, TimeUnit.SECONDS))
                    .as("requests sent before the answers backed up")
                    .isGreaterThan(1000);
            // its one request slot is free again: a ready request is served, not refused
            assertThat(sink.post(Events.heartbeat("after", 1)).statusCode()).isEqualTo(200);
            assertThat(metric(sink, "eventsink_connections_closed_total{reason=\"send_timeout\""))
                    .isEqualTo(before + 1);
            // (the probe's own keep-alive connection may reach its idle deadline too)
            await().atMost(Duration.ofSeconds(5)).until(() -> metric(sink, CLOSED_LATE) >= closedLate + 1);
            assertThat(logs.withStackTraces()).isEmpty();
        }
    }

    @Test
    void theConnectionCapIsLoweredToWhatTheHeapHolds() {
        long mib = 1024 * 1024;
        // 1 GiB holds (1024 - 64 reserved) MiB / 24 KiB = 40,960 connections: the setting stands
        assertThat(ConnectionGuard.affordableConnections(20_000, 1024 * mib)).isEqualTo(20_000);
        // the heap of a 512Mi pod (65% = 332 MiB) holds 11,434: the cap comes down
        assertThat(ConnectionGuard.affordableConnections(20_000, 332 * mib)).isEqualTo(11_434);
        // never below the settings' own minimum, however small the heap
        assertThat(ConnectionGuard.affordableConnections(20_000, 32 * mib)).isEqualTo(16);
    }

    @Test
    void connectionsBeyondTheCapAreRefusedAtOnce() throws Exception {
        try (RunningSink sink = sink(Map.of("MAX_CONNECTIONS", "16", "IDLE_CONNECTION_TIMEOUT_MS", "60000"))) {
            double before = metric(sink, "eventsink_connections_closed_total{reason=\"over_limit\"");
            List<Raw> held = new ArrayList<>();
            try {
                for (int i = 0; i < 16; i++) {
                    Raw raw = new Raw(sink.server.port());
                    raw.send(heartbeat("held-" + i));
                    assertThat(raw.read().status()).isEqualTo(200); // now idle, keep-alive
                    held.add(raw);
                }
                try (Raw extra = new Raw(sink.server.port())) {
                    Raw.Answer refused = extra.read();
                    assertThat(refused.status()).isEqualTo(503);
                    assertThat(refused.headers()).containsEntry("retry-after", "1");
                    assertThat(refused.body()).contains("Too many connections");
                    assertThat(extra.closedByServer()).isTrue();
                }
                assertThat(metric(sink, "eventsink_connections_closed_total{reason=\"over_limit\""))
                        .isEqualTo(before + 1);
                held.removeFirst().close();
                await().atMost(Duration.ofSeconds(5)).until(() -> metric(sink, "eventsink_connections_open") < 16);
                assertThat(sink.post(Events.heartbeat("after", 1)).statusCode()).isEqualTo(200);
            } finally {
                for (Raw raw : held) {
                    raw.close();
                }
            }
        }
    }

    @Test
    void aMethodThatIsNotATokenGets400WithoutAStackTrace() throws Exception {
        try (LogCapture logs = new LogCapture();
                RunningSink sink = sink(Map.of());
                Raw raw = new Raw(sink.server.port())) {
            raw.send("GE(T / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            Raw.Answer answer = raw.read();
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body()).isEqualTo("{\"message\":\"Bad request: malformed HTTP\"}");
            assertThat(logs.withStackTraces()).isEmpty();
            assertThat(logs.records)
                    .noneMatch(r -> r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue());
        }
    }
}
