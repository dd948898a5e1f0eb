package io.eventsink.service.delivery.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.eventsink.service.delivery.BatchWriter.EntryOutcome;
import io.eventsink.service.delivery.QueuedEvent;
import io.eventsink.service.delivery.WriteFailure;
import io.eventsink.service.delivery.format.EventMessages;
import io.eventsink.service.delivery.format.QueueMessage;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The hand-written SQS path against a real HTTP server that speaks the SQS JSON protocol the way
 * SQS documents it: signatures checked by an independent SigV4 implementation, and the documented
 * error answers.
 */
class SqsWriterProtocolTest {

    private HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Function<Received, Answer> answers = SqsWriterProtocolTest::storeAll;
    private final AtomicInteger credentialFetches = new AtomicInteger();

    record Received(Map<String, String> headers, byte[] body) {
        JsonObject json() {
            return Json.createReader(new StringReader(new String(body, StandardCharsets.UTF_8)))
                    .readObject();
        }
    }

    record Answer(int status, String body, String queryError) {}

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
        Received r = new Received(headers, exchange.getRequestBody().readAllBytes());
        received.add(r);
        Answer a = answers.apply(r);
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
        if (a.queryError() != null) {
            exchange.getResponseHeaders().add("x-amzn-query-error", a.queryError());
        }
        exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    /** Stores every entry, with the checksum SQS computes. */
    private static Answer storeAll(Received r) {
        return new Answer(200, allStored(r.json()), null);
    }

    /** SQS's answer to a SendMessageBatch {@code request} that stored every entry. */
    static String allStored(JsonObject request) {
        StringBuilder ok = new StringBuilder("{\"Successful\":[");
        List<JsonValue> entries = request.getJsonArray("Entries");
        for (int i = 0; i < entries.size(); i++) {
            JsonObject e = entries.get(i).asJsonObject();
            ok.append(i == 0 ? "" : ",")
                    .append("{\"Id\":\"")
                    .append(e.getString("Id"))
                    .append("\",\"MessageId\":\"m")
                    .append(i)
                    .append("\",\"MD5OfMessageBody\":\"")
                    .append(SqsJson.md5Hex(e.getString("MessageBody")))
                    .append("\"}");
        }
        return ok.append("],\"Failed\":[]}").toString();
    }

    private SqsWriter writer() {
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        SqsAddress address = SqsAddress.of(
                "https://sqs.eu-north-1.amazonaws.com/123456789012/events",
                Optional.of(endpoint.toString()),
                Optional.empty());
        return new SqsWriter(address, new HelidonSqsTransport(address.endpoint(), 4), () -> {
            int n = credentialFetches.incrementAndGet();
            return StaticCredentialsProvider.create(
                    AwsSessionCredentials.create("AKID" + n, "secret-" + n, "session-token-" + n));
        });
    }

    private static List<QueueMessage> batch(int n) {
        List<QueueMessage> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String json = "{\"event\":\"heartbeat\",\"sessionId\":\"s-" + i + "-\u00e5\"}";
            batch.add(EventMessages.of(new QueuedEvent(json, "heartbeat", "1", 2, null, null, null, json.length())));
        }
        return batch;
    }

    @Test
    void requestsAreSignedForSqsInTheQueueRegionAndVerifyWithTheSecretKey() throws WriteFailure {
        try (SqsWriter writer = writer()) {
            assertThat(writer.write(batch(3))).containsOnly(EntryOutcome.DELIVERED);
        }
        Received r = received.getFirst();
        assertThat(r.headers())
                .containsEntry("X-amz-target", "AmazonSQS.SendMessageBatch")
                .containsEntry("Content-type", "application/x-amz-json-1.0")
                .containsEntry("X-amz-security-token", "session-token-1");
        SigV4Verifier.Verdict verdict = SigV4Verifier.verify("POST", "/", r.headers(), r.body(), "secret-1");
        assertThat(verdict.valid()).as("signature verifies with the secret key").isTrue();
        assertThat(verdict.accessKey()).isEqualTo("AKID1");
        assertThat(verdict.scope()).matches("\\d{8}/eu-north-1/sqs/aws4_request");
        // The target, the body's type and the session token are covered: none can be swapped in transit.
        assertThat(verdict.signedHeaders())
                .contains("content-type", "host", "x-amz-date", "x-amz-target", "x-amz-security-token");
        assertThat(SigV4Verifier.verify("POST", "/", r.headers(), r.body(), "another-secret")
                        .valid())
                .isFalse();
        assertThat(r.json().getString("QueueUrl"))
                .isEqualTo("https://sqs.eu-north-1.amazonaws.com/123456789012/events");
    }

    @Test
    void expiredCredentialsAreRefreshedAndTheCallRetriedOnce() throws WriteFailure {
        answers = r -> received.size() == 1
                ? new Answer(
                        400,
                        "{\"__type\":\"com.amazon.coral.service#ExpiredTokenException\","
                                + "\"message\":\"The security token included in the request is expired\"}",
                        null)
                : storeAll(r);
        try (SqsWriter writer = writer()) {
            assertThat(writer.write(batch(2))).containsOnly(EntryOutcome.DELIVERED);
        }
        assertThat(received).hasSize(2);
        assertThat(credentialFetches.get()).isEqualTo(2);
        assertThat(SigV4Verifier.verify(
                                "POST",
                                "/",
                                received.get(1).headers(),
                                received.get(1).body(),
                                "secret-2")
                        .valid())
                .isTrue();
    }

    @Test
    void documentedErrorsBecomeClassifiedFailures() {
        Map<Answer, WriteFailure.Kind> cases = Map.of(
                new Answer(
                        400,
                        "{\"__type\":\"com.amazonaws.sqs#QueueDoesNotExist\","
                                + "\"message\":\"The specified queue does not exist.\"}",
                        "AWS.SimpleQueueService.NonExistentQueue;Sender"),
                WriteFailure.Kind.REFUSED,
                new Answer(400, "{\"__type\":\"com.amazonaws.sqs#RequestThrottled\",\"message\":\"slow down\"}", null),
                WriteFailure.Kind.THROTTLED,
                new Answer(503, "", null),
                WriteFailure.Kind.UNREACHABLE,
                new Answer(200, "{\"Successful\":[{\"Id\":", null),
                WriteFailure.Kind.UNREACHABLE);
        try (SqsWriter writer = writer()) {
            cases.forEach((answer, kind) -> {
                answers = r -> answer;
                assertThatThrownBy(() -> writer.write(batch(1)))
                        .isInstanceOfSatisfying(
                                WriteFailure.class, f -> assertThat(f.kind()).isEqualTo(kind));
            });
        }
    }

    @Test
    void aRefusedConnectionIsUnreachable() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        SqsAddress address =
                SqsAddress.of("http://127.0.0.1:" + closedPort + "/0/q", Optional.empty(), Optional.empty());
        try (SqsWriter writer = new SqsWriter(
                address,
                new HelidonSqsTransport(address.endpoint(), 1),
                () -> StaticCredentialsProvider.create(AwsSessionCredentials.create("a", "b", "c")))) {
            assertThatThrownBy(writer::probe)
                    .isInstanceOfSatisfying(
                            WriteFailure.class, f -> assertThat(f.kind()).isEqualTo(WriteFailure.Kind.UNREACHABLE));
        }
    }
}
