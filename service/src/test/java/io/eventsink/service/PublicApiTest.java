package io.eventsink.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventsink.embeddedsqs.EmbeddedSqs;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The HTTP contract of the public port and the management port, over real HTTP into a real queue. */
class PublicApiTest {

    private static final List<String> CONTENT_TYPES =
            Arrays.asList("application/json", "text/plain;charset=UTF-8", null);

    private static EmbeddedSqs sqs;
    private static RunningSink sink;
    private static LogCapture logs;

    @BeforeAll
    static void start() {
        logs = new LogCapture();
        sqs = EmbeddedSqs.start();
        sink = RunningSink.sqs(
                sqs, sqs.createQueue("public-api"), Map.of("HEARTBEAT_INTERVAL", "7000", "MAX_BODY_BYTES", "4096"));
    }

    @AfterAll
    static void stop() {
        sink.close();
        sqs.close();
        logs.close();
    }

    static JsonObject json(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return Json.createReader(new java.io.StringReader(response.body())).readObject();
    }

    static Stream<Arguments> everyEventInEveryContentType() {
        List<Arguments> out = new ArrayList<>();
        for (String contentType : CONTENT_TYPES) {
            Events.allValid("sess-" + (contentType == null ? "none" : contentType.substring(0, 4)))
                    .forEach((type, body) -> out.add(Arguments.of(type, contentType, body)));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("everyEventInEveryContentType")
    void validEventsGet200WithTheContractBody(String type, String contentType, String body) {
        HttpResponse<String> response = sink.post(body, contentType, Map.of());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonObject answer = json(response);
        assertThat(answer.getString("sessionId")).startsWith("sess-");
        if (type.equals("init")) {
            assertThat(answer.getInt("heartbeatInterval")).isEqualTo(7000);
        } else {
            assertThat(answer.containsKey("heartbeatInterval")).isFalse();
        }
        assertThat(answer.getBoolean("valid")).isTrue();
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    }

    @Test
    void invalidEventGets400WithTheReasons() {
        HttpResponse<String> response = sink.post(
                "{\"event\":\"pause\",\"sessionId\":\"s-9\",\"timestamp\":\"x\"," + "\"playhead\":1,\"duration\":1}");
        assertThat(response.statusCode()).isEqualTo(400);
        JsonObject answer = json(response);
        assertThat(answer.getString("sessionId")).isEqualTo("s-9");
        assertThat(answer.getString("message")).isEqualTo("Invalid player event");
        assertThat(answer.getBoolean("valid")).isFalse();
        assertThat(answer.getJsonArray("errors").getValuesAs(jakarta.json.JsonString::getString))
                .containsExactlyInAnyOrder("event: unknown type 'pause'", "timestamp: expected number, got string");
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    }

    @Test
    void sessionIdIsMinusOneWhenTheBodyHasNone() {
        JsonObject answer = json(sink.post("{\"event\":\"heartbeat\"}"));
        assertThat(answer.getInt("sessionId")).isEqualTo(-1);
    }

    static Stream<Arguments> malformedBodiesInEveryContentType() {
        List<byte[]> bodies = new ArrayList<>();
        for (String s : List.of(
                "",
                " ",
                "{",
                "{\"event\":\"init\"",
                "[]",
                "\"init\"",
                "123",
                "null",
                "NaN",
                "{\"event\":\"heartbeat\",\"sessionId\":\"s\",\"timestamp\":NaN,\"playhead\":1,\"duration\":1}",
                "{\"event\":\"init\",\"sessionId\":\"s\",\"timestamp\":-1,\"playhead\":-1,\"duration\":-1} trailing",
                "{\"a\":" + "[".repeat(1500) + "]".repeat(1500) + "}",
                "<xml/>")) {
            bodies.add(s.getBytes(StandardCharsets.UTF_8));
        }
        bodies.add(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
        List<Arguments> out = new ArrayList<>();
        for (String contentType : CONTENT_TYPES) {
            for (byte[] body : bodies) {
                out.add(Arguments.of(
                        new String(body, 0, Math.min(body.length, 24), StandardCharsets.ISO_8859_1),
                        contentType,
                        body));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "[{0}] as {1}")
    @MethodSource("malformedBodiesInEveryContentType")
    void malformedBodiesGet400NeverAStackTrace(String label, String contentType, byte[] body) {
        int tracesBefore = logs.withStackTraces().size();
        HttpResponse<String> response = sink.post(body, contentType, Map.of());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonObject answer = json(response);
        assertThat(answer.getBoolean("valid")).isFalse();
        assertThat(answer.getJsonArray("errors")).isNotEmpty();
        assertThat(logs.withStackTraces()).hasSize(tracesBefore);
    }

    @Test
    void bodyOverTheLimitGets413WithAReason() {
        String big = Events.event("error", "s", 1, 1, 1, "{\"code\":\"c\",\"message\":\"" + "x".repeat(5000) + "\"}");
        HttpResponse<String> response = sink.post(big);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).getString("message")).isNotBlank();
    }

    @Test
    void chunkedBodyOverTheLimitGets413() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", sink.server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String chunk = "y".repeat(1000);
            for (int i = 0; i < 8; i++) {
                out.write((Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = readHead(socket.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 413");
        }
    }

    static String readHead(InputStream in) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            sb.append((char) c);
            if (sb.toString().endsWith("\r\n\r\n")) {
                break;
            }
        }
        return sb.toString();
    }

    @Test
    void optionsAnswersThePreflight() {
        HttpResponse<String> response = sink.request(
                "OPTIONS", "/", Map.of("Origin", "https://player.example", "Access-Control-Request-Method", "POST"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(response.headers().firstValue("Access-Control-Allow-Methods"))
                .hasValue("POST, OPTIONS");
        assertThat(response.headers().firstValue("Access-Control-Allow-Headers"))
                .hasValue("Content-Type, Content-Encoding, Origin, X-EPAS-Event, X-EPAS-Version");
        assertThat(response.headers().firstValue("Access-Control-Expose-Headers"))
                .hasValue("X-EPAS-Version, Retry-After");
        assertThat(response.headers().firstValue("X-EPAS-Version")).hasValue("0.5.0");
        assertThat(response.headers().firstValue("Access-Control-Max-Age")).hasValue("86400");
        assertThat(response.headers().firstValue("Vary")).hasValue("Origin");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/health", "/metrics", "/health/ready", "/observe/health", "/events", "/favicon.ico"})
    void otherPathsAre404(String path) {
        HttpResponse<String> get = sink.publicGet(path);
        assertThat(get.statusCode()).isEqualTo(404);
        assertThat(json(get).getString("message")).isNotBlank();
        HttpResponse<String> post = sink.request("POST", path, Map.of());
        assertThat(post.statusCode()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "PUT", "DELETE", "PATCH"})
    void otherMethodsOnRootAre405WithAllow(String method) {
        HttpResponse<String> response = sink.request(method, "/", Map.of());
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST, OPTIONS");
        assertThat(json(response).getString("message")).contains("POST");
    }

    @Test
    void responsesCarryNosniff() {
        assertThat(sink.post(Events.heartbeat("n", 1)).headers().firstValue("X-Content-Type-Options"))
                .hasValue("nosniff");
        assertThat(sink.post("{").headers().firstValue("X-Content-Type-Options"))
                .hasValue("nosniff");
    }

    @Test
    void managementPortServesHealthAndMetricsOnly() {
        assertThat(sink.management("health/live").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = sink.management("health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"status\":\"UP\"");
        sink.post(Events.heartbeat("metrics-check", 2));
        HttpResponse<String> metrics = sink.management("metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("eventsink_events_accepted_total{event=\"heartbeat\"")
                .contains("eventsink_events_rejected_total{reason=\"invalid_event\"")
                .contains("eventsink_events_delivered_total")
                .contains("eventsink_events_failed_total")
                .contains("eventsink_events_pending")
                .contains("eventsink_batch_size")
                .contains("eventsink_sqs_call_seconds")
                .contains("eventsink_http_request_seconds");
        // And the management port does not take events.
        HttpResponse<String> post = RunningSink.send(java.net.http.HttpRequest.newBuilder(sink.management)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Events.heartbeat("x", 1)))
                .build());
        assertThat(post.statusCode()).isEqualTo(404);
    }
}
