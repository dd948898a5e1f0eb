package io.eventsink.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventsink.embeddedsqs.EmbeddedSqs;
import io.eventsink.service.HostileInputTest.Raw;
import io.eventsink.service.delivery.StdoutBatchWriter;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * HTTP/1.0 clients over raw sockets, on both ports: answered as an HTTP/1.1 client is (status,
 * headers, body, the events in the queue), never chunked, with HTTP/1.0's connections (closed after
 * the answer unless the client asked for keep-alive), and under the same deadlines and limits.
 */
class Http10Test {

    private static final int MAX_BODY = 4096;
    private static final int MAX_EVENT = 1024;
    private static EmbeddedSqs sqs;
    private static String queue;
    private static RunningSink sink;

    @BeforeAll
    static void start() {
        sqs = EmbeddedSqs.start();
        queue = sqs.createQueue("http10");
        sink = RunningSink.sqs(
                sqs,
                queue,
                Map.of("MAX_BODY_BYTES", Integer.toString(MAX_BODY), "MAX_EVENT_BYTES", Integer.toString(MAX_EVENT)));
    }

    @AfterAll
    static void stop() {
        try {
            sink.close();
        } finally {
            sqs.close();
        }
    }

    /** A request of the given version: its request line, extra header lines, and its body with its Content-Length. */
    static String request(String version, String method, String path, String headers, String body) {
        return method + " " + path + " " + version + "\r\n" + headers
                + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n")
                + "\r\n" + (body == null ? "" : body);
    }

    static String post10(String headers, String body) {
        return request("HTTP/1.0", "POST", "/", headers, body);
    }

    private static List<String> stored(int expected) {
        List<Message> messages = sqs.drain(queue, Duration.ofMillis(500));
        assertThat(messages).hasSize(expected);
        return messages.stream().map(Message::body).toList();
    }

    private static Raw.Answer once(int port, String request) throws Exception {
        try (Raw raw = new Raw(port)) {
            raw.send(request);
            Raw.Answer answer = raw.read();
            assertThat(raw.closedByServer()).as("closed after the answer").isTrue();
            return answer;
        }
    }

    /** The headers an answer has whatever the client's version: not the date, not the connection's fate. */
    private static Map<String, String> sameForBothVersions(Raw.Answer answer) {
        Map<String, String> headers = new HashMap<>(answer.headers());
        headers.remove("date");
        headers.remove("connection");
        return headers;
    }

    @Test
    void anEventWithoutHostIsAnsweredAsForHttp11StoredAndTheConnectionClosed() throws Exception {
        String event = Events.heartbeat("h10-single", 1700000000000L);
        Raw.Answer http10 = once(sink.server.port(), post10("", event));
        Raw.Answer http11;
        try (Raw raw = new Raw(sink.server.port())) {
            raw.send(request("HTTP/1.1", "POST", "/", "Host: 127.0.0.1\r\n", event));
            http11 = raw.read();
        }
        assertThat(http10.status()).isEqualTo(200);
        assertThat(http10.body()).isEqualTo("{\"sessionId\":\"h10-single\",\"valid\":true}");
        assertThat(http10.headers())
                .containsEntry("connection", "close")
                .containsEntry("x-epas-version", "0.5.0")
                .doesNotContainKey("transfer-encoding");
        assertThat(http10.status()).isEqualTo(http11.status());
        assertThat(http10.body()).isEqualTo(http11.body());
        assertThat(sameForBothVersions(http10)).isEqualTo(sameForBothVersions(http11));
        assertThat(stored(2)).containsExactly(event, event);
    }

    @Test
    void aBatchAndCmcdReportsAreStored() throws Exception {
        String first = Events.heartbeat("h10-batch", 1700000000000L);
        String second = Events.heartbeat("h10-batch", 1700000005000L);
        Raw.Answer batch = once(sink.server.port(), post10("Host: eventsink\r\n", "[" + first + "," + second + "]"));
        assertThat(batch.status()).isEqualTo(200);
        assertThat(batch.body()).startsWith("{\"valid\":true,\"events\":2,\"stored\":2,\"invalid\":0,\"notStored\":0,");

        String report = "cid=\"movie-1\",e=ps,sid=\"h10-cmcd\",sn=0,sta=s,ts=1767225600000,v=2";
        Raw.Answer cmcd = once(
                sink.server.port(),
                "POST /cmcd HTTP/1.0\r\nContent-Type: application/cmcd\r\nContent-Length: " + report.length()
                        + "\r\n\r\n" + report);
        assertThat(cmcd.status()).isEqualTo(204);
        assertThat(cmcd.headers()).containsEntry("connection", "close");
        List<String> stored = stored(4); // the batch's two, and init + loading mapped from the startup report
        assertThat(stored).contains(first, second);
        assertThat(stored).filteredOn(m -> m.contains("h10-cmcd")).hasSize(2);
    }

    @Test
    void mistakesGetTheSameFourHundredsAsOverHttp11() throws Exception {
        Raw.Answer invalid = once(
                sink.server.port(),
                post10(
                        "",
                        "{\"event\":\"pause\",\"sessionId\":\"h10-bad\",\"timestamp\":\"now\",\"playhead\":0,\"duration\":0}"));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.body())
                .contains("\"errors\":[\"event: unknown type 'pause'\",\"timestamp: expected number, got string\"]");

        Raw.Answer notFound = once(sink.server.port(), request("HTTP/1.0", "GET", "/nowhere", "", null));
        assertThat(notFound.status()).isEqualTo(404);
        Raw.Answer wrongMethod = once(sink.server.port(), request("HTTP/1.0", "GET", "/", "", null));
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.headers()).containsKey("allow");

        // declared larger than MAX_BODY_BYTES: 413 before the body is read, and the connection closes
        try (Raw raw = new Raw(sink.server.port())) {
            raw.send("POST / HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: " + (MAX_BODY + 1)
                    + "\r\n\r\n[");
            Raw.Answer tooLarge = raw.read();
            assertThat(tooLarge.status()).isEqualTo(413);
            assertThat(tooLarge.body()).isEqualTo("{\"message\":\"Request body larger than " + MAX_BODY + " bytes\"}");
            assertThat(raw.closedByServer()).isTrue();
        }
        // an event over MAX_EVENT_BYTES: 413, and the connection closes although the client asked to keep it
        try (Raw raw = new Raw(sink.server.port())) {
            raw.send(post10(
                    "Connection: keep-alive\r\n",
                    Events.event("init", "h10-big", -1, -1, -1, "{\"x\":\"" + "x".repeat(MAX_EVENT) + "\"}")));
            Raw.Answer tooLarge = raw.read();
            assertThat(tooLarge.status()).isEqualTo(413);
            assertThat(tooLarge.headers()).containsEntry("connection", "close");
            assertThat(raw.closedByServer()).isTrue();
        }
        // a head too large for Helidon: refused as a malformed request, not as an unknown version
        Raw.Answer hugeHead = once(sink.server.port(), post10("X-Big: " + "b".repeat(20_500) + "\r\n", "{}"));
        assertThat(hugeHead.status()).isEqualTo(400);
        Raw.Answer longLine = once(sink.server.port(), request("HTTP/1.0", "GET", "/" + "a".repeat(5000), "", null));
        assertThat(longLine.status()).isEqualTo(414);
        stored(0);
    }

    @Test
    void keepAliveWhenAskedPipelinedRequestsInOrderThenClose() throws Exception {
        String keepAlive = "Connection: keep-alive\r\n";
        try (Raw raw = new Raw(sink.server.port())) {
            raw.send(post10(keepAlive, Events.heartbeat("h10-keep-1", 1700000000000L)));
            Raw.Answer first = raw.read();
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.headers()).containsEntry("connection", "keep-alive");
            // the connection stays: three more in one write, the last one without keep-alive
            raw.send(post10(keepAlive, Events.heartbeat("h10-keep-2", 1700000000000L))
                    + request("HTTP/1.0", "GET", "/nowhere", "Connection: Keep-Alive\r\n", null)
                    + post10("", Events.heartbeat("h10-keep-3", 1700000000000L)));
            Raw.Answer second = raw.read();
            Raw.Answer third = raw.read();
            Raw.Answer last = raw.read();
            assertThat(List.of(second.status(), third.status(), last.status())).containsExactly(200, 404, 200);
            assertThat(second.body()).contains("h10-keep-2");
            assertThat(last.body()).contains("h10-keep-3");
            assertThat(last.headers()).containsEntry("connection", "close");
            assertThat(raw.closedByServer()).isTrue();
        }
        assertThat(stored(3)).hasSize(3);
    }

    @Test
    void aChunkedBodyIsReadAndTheConnectionClosedAfterItsAnswer() throws Exception {
        String event = Events.heartbeat("h10-chunked", 1700000000000L);
        Raw.Answer answer = once(
                sink.server.port(),
                "POST / HTTP/1.0\r\nConnection: keep-alive\r\nContent-Type: application/json\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(event.length()) + "\r\n" + event
                        + "\r\n0\r\n\r\n");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headers()).containsEntry("connection", "close");
        assertThat(stored(1)).containsExactly(event);
    }

    @Test
    void expectContinueIsNotAnsweredWith100() throws Exception {
        Raw.Answer answer = once(
                sink.server.port(), post10("Expect: 100-continue\r\n", Events.heartbeat("h10-expect", 1700000000000L)));
        assertThat(answer.status()).isEqualTo(200);
        stored(1);
    }

    @Test
    void healthAndMetricsOnTheManagementPortWithALength() throws Exception {
        Raw.Answer ready = once(sink.server.managementPort(), request("HTTP/1.0", "GET", "/health/ready", "", null));
        assertThat(ready.status()).isEqualTo(200);
        // Helidon chunks this answer for an HTTP/1.1 client: an HTTP/1.0 one gets it whole, with its length
        assertThat(ready.headers()).doesNotContainKey("transfer-encoding").containsKey("content-length");
        assertThat(ready.body()).startsWith("{\"status\":\"UP\"").endsWith("}");
        try (Raw raw = new Raw(sink.server.managementPort())) {
            raw.send(request("HTTP/1.0", "GET", "/health/ready", "Connection: keep-alive\r\n", null));
            Raw.Answer kept = raw.read();
            assertThat(kept.headers()).containsEntry("connection", "keep-alive");
            assertThat(kept.body()).isEqualTo(ready.body());
            raw.send(request("HTTP/1.0", "GET", "/metrics", "", null));
            Raw.Answer metrics = raw.read();
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.headers()).doesNotContainKey("transfer-encoding");
            assertThat(metrics.body()).contains("eventsink_ready{").endsWith("\n");
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void http11IsUnchanged() throws Exception {
        // what HTTP/1.1 requires of a request still holds for it
        try (Raw raw = new Raw(sink.server.port())) {
            raw.send(request("HTTP/1.1", "POST", "/", "", Events.heartbeat("h11-no-host", 1700000000000L)));
            assertThat(raw.read().status()).isEqualTo(400);
        }
        try (Raw raw = new Raw(sink.server.managementPort())) {
            raw.send(request("HTTP/1.1", "GET", "/health/live", "Host: 127.0.0.1\r\n", null));
            Raw.Answer live = raw.read();
            assertThat(live.status()).isEqualTo(200);
            assertThat(live.headers()).containsEntry("transfer-encoding", "chunked");
        }
        stored(0);
    }

    @Test
    void anHttp11AnswerThatSaysCloseClosesTheConnection() throws Exception {
        // RFC 9112 section 9.6: a server that sends "close" closes; Helidon alone would wait for the client
        String heartbeat = Events.heartbeat("h11-close", 1700000000000L);
        for (int port : List.of(sink.server.port(), sink.server.managementPort())) {
            String path = port == sink.server.port() ? "/" : "/metrics"; // an answer of known length
            try (Raw raw = new Raw(port)) {
                raw.send(request(
                        "HTTP/1.1",
                        port == sink.server.port() ? "POST" : "GET",
                        path,
                        "Host: 127.0.0.1\r\nConnection: close\r\n",
                        port == sink.server.port() ? heartbeat : null));
                Raw.Answer answer = raw.read();
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.headers()).containsEntry("connection", "close");
                assertThat(raw.closedByServer())
                        .as("port %d closed after its answer", port)
                        .isTrue();
            }
        }
        // an answer the route closes (an event over MAX_EVENT_BYTES) on a connection the client keeps
        try (Raw raw = new Raw(sink.server.port())) {
            raw.send(request(
                    "HTTP/1.1", "POST", "/", "Host: 127.0.0.1\r\n", "{\"pad\":\"" + "x".repeat(MAX_EVENT) + "\"}"));
            Raw.Answer answer = raw.read();
            assertThat(answer.status()).isEqualTo(413);
            assertThat(answer.headers()).containsEntry("connection", "close");
            assertThat(raw.closedByServer()).isTrue();
        }
        stored(1);
    }

    @Test
    void deadlinesHoldForHttp10() throws Exception {
        Map<String, String> deadlines = Map.of("REQUEST_HEAD_TIMEOUT_MS", "500", "REQUEST_BODY_TIMEOUT_MS", "500");
        try (RunningSink slow = RunningSink.with(new StdoutBatchWriter(new ByteArrayOutputStream()), deadlines)) {
            try (Raw raw = new Raw(slow.server.port())) {
                raw.send("POST / HTTP/1.0\r\nContent-Ty");
                Raw.Answer head = raw.read();
                assertThat(head.status()).isEqualTo(408);
                assertThat(head.body()).isEqualTo("{\"message\":\"Request head not received within 500 ms\"}");
                assertThat(raw.closedByServer()).isTrue();
            }
            try (Raw raw = new Raw(slow.server.port())) {
                raw.send("POST / HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"ev");
                Raw.Answer body = raw.read();
                assertThat(body.status()).isEqualTo(408);
                assertThat(body.body()).isEqualTo("{\"message\":\"Request body not received within 500 ms\"}");
                assertThat(raw.closedByServer()).isTrue();
            }
        }
    }
}
