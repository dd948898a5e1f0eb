package io.eventsink.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventsink.embeddedsqs.EmbeddedSqs;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * POST / with several events (a JSON array, NDJSON) and with compressed bodies, over real HTTP
 * into ElasticMQ: each event judged on its own, the valid ones stored byte for byte, the answer
 * listing every event's fate; gzip/deflate decoded within MAX_BODY_BYTES.
 */
class BatchAndCompressionTest {

    private static EmbeddedSqs sqs;

    @BeforeAll
    static void start() {
        sqs = EmbeddedSqs.start();
    }

    @AfterAll
    static void stop() {
        sqs.close();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] deflate(byte[] data, boolean raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static Map<String, Message> stored(String queue) {
        return sqs.drain(queue, Duration.ofMillis(400)).stream()
                .collect(Collectors.toMap(Message::body, Function.identity()));
    }

    @Test
    void anArrayStoresItsValidEventsAndSaysWhatBecameOfEach() {
        String queue = sqs.createQueue("batch-array");
        String a = Events.heartbeat("b-a", 1);
        String b = Events.event("stopped", "b-b", 2, 3, 4, "{\"reason\":\"ended\"}");
        String invalid = Events.event("pause", "b-c", 1, 1, 1, null);
        String c =
                "{ \"event\" : \"playing\", \"sessionId\" : \"b-\u00e5\", \"timestamp\":3,\"playhead\":0,\"duration\":-1,"
                        + "\"shardId\":\"eu_1\" }";
        String body = "[\n " + a + ",\n" + b + ", " + invalid + ", {\"event\":} ,\n" + c + "\n]";
        try (RunningSink sink = RunningSink.sqs(sqs, queue, Map.of())) {
            HttpResponse<String> r = sink.post(body);
            assertThat(r.statusCode()).isEqualTo(200);
            JsonObject answer = PublicApiTest.json(r);
            assertThat(answer.getBoolean("valid")).isFalse();
            assertThat(answer.getInt("events")).isEqualTo(5);
            assertThat(answer.getInt("stored")).isEqualTo(3);
            assertThat(answer.getInt("invalid")).isEqualTo(2);
            assertThat(answer.getInt("notStored")).isZero();
            JsonArray results = answer.getJsonArray("results");
            assertThat(results.getValuesAs(JsonObject.class).stream().map(o -> o.getString("status")))
                    .containsExactly("stored", "stored", "invalid", "invalid", "stored");
            assertThat(results.getJsonObject(2).getString("sessionId")).isEqualTo("b-c");
            assertThat(results.getJsonObject(2).getJsonArray("errors").getString(0))
                    .isEqualTo("event: unknown type 'pause'");
            assertThat(results.getJsonObject(3).getInt("sessionId")).isEqualTo(-1);
            assertThat(results.getJsonObject(3).getJsonArray("errors").getString(0))
                    .startsWith("body:");
        }
        Map<String, Message> messages = stored(queue);
        assertThat(messages).containsOnlyKeys(a, b, c); // each exactly as written inside the array
        assertThat(messages.get(c).messageAttributes().get("ShardId").stringValue())
                .isEqualTo("eu_1");
        assertThat(messages.get(a).messageAttributes()).doesNotContainKey("ShardId");
    }

    @Test
    void ndjsonWithCrLfAndBlankLines() {
        String queue = sqs.createQueue("batch-ndjson");
        List<String> events =
                List.of(Events.heartbeat("n-1", 1), Events.heartbeat("n-2", 2), Events.heartbeat("n-3", 3));
        try (RunningSink sink = RunningSink.sqs(sqs, queue, Map.of())) {
            HttpResponse<String> r = sink.post(
                    utf8(String.join("\r\n", events) + "\n\n"), "application/x-ndjson; charset=utf-8", Map.of());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(PublicApiTest.json(r).getInt("stored")).isEqualTo(3);
            assertThat(PublicApiTest.json(r).getBoolean("valid")).isTrue();
            assertThat(PublicApiTest.json(r)).doesNotContainKey("heartbeatInterval");
            HttpResponse<String> withInit = sink.post("[" + Events.event("init", "n-0", -1, -1, -1, null) + "]");
            assertThat(PublicApiTest.json(withInit).getInt("heartbeatInterval")).isEqualTo(5000);
        }
        assertThat(stored(queue)).hasSize(4).containsKeys(events.toArray(String[]::new));
    }

    /**
     * The queue takes only part of a batch (here: the pending buffer holds 3 of 6): 503 with
     * Retry-After, and the answer says exactly which were stored — those, and only those, are in
     * the queue; the client resends the rest.
     */
    @Test
    void aBatchTheQueueTakesOnlyPartOf() {
        String queue = sqs.createQueue("batch-partial");
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 6; i++) {
            body.append(i == 0 ? "" : ",").append(Events.heartbeat("p-" + i, i));
        }
        body.append("]");
        JsonObject answer;
        try (RunningSink sink = RunningSink.sqs(sqs, queue, Map.of("MAX_PENDING_EVENTS", "3"))) {
            HttpResponse<String> r = sink.post(body.toString());
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
            answer = PublicApiTest.json(r);
        }
        assertThat(answer.getInt("stored")).isEqualTo(3);
        assertThat(answer.getInt("notStored")).isEqualTo(3);
        List<String> storedIds = answer.getJsonArray("results").getValuesAs(JsonObject.class).stream()
                .filter(o -> o.getString("status").equals("stored"))
                .map(o -> o.getString("sessionId"))
                .toList();
        answer.getJsonArray("results").getValuesAs(JsonObject.class).stream()
                .filter(o -> o.getString("status").equals("not_stored"))
                .forEach(o -> assertThat(o.getString("reason")).isEqualTo("too many events pending delivery"));
        Map<String, Message> messages = stored(queue);
        assertThat(messages.keySet().stream().map(m -> m.replaceAll(".*\"sessionId\":\"([^\"]+)\".*", "$1")))
                .containsExactlyInAnyOrderElementsOf(storedIds);
    }

    @Test
    void whatIsNotABatchOrTooBig() {
        String queue = sqs.createQueue("batch-refused");
        try (RunningSink sink =
                RunningSink.sqs(sqs, queue, Map.of("MAX_BATCH_EVENTS", "3", "MAX_EVENT_BYTES", "256"))) {
            HttpResponse<String> unclosed = sink.post("[" + Events.heartbeat("x", 1));
            assertThat(unclosed.statusCode()).isEqualTo(400);
            assertThat(PublicApiTest.json(unclosed).getJsonArray("errors").getString(0))
                    .isEqualTo("body: the JSON array is not closed");
            HttpResponse<String> four = sink.post("[{},{},{},{}]");
            assertThat(four.statusCode()).isEqualTo(413);
            assertThat(PublicApiTest.json(four).getJsonArray("errors").getString(0))
                    .isEqualTo("body: more than 3 events (MAX_BATCH_EVENTS)");
            String big = Events.event("error", "big", 1, 1, 1, "{\"code\":\"" + "x".repeat(300) + "\"}");
            HttpResponse<String> oneTooBig = sink.post("[" + Events.heartbeat("small", 1) + "," + big + "]");
            assertThat(oneTooBig.statusCode()).isEqualTo(200);
            JsonArray results = PublicApiTest.json(oneTooBig).getJsonArray("results");
            assertThat(results.getJsonObject(1).getJsonArray("errors").getString(0))
                    .isEqualTo("event: larger than 256 bytes");
        }
        assertThat(stored(queue)).hasSize(1);
    }

    @Test
    void shardIdMustBeSafeToUseDownstream() {
        String queue = sqs.createQueue("shard-ids");
        try (RunningSink sink = RunningSink.sqs(sqs, queue, Map.of())) {
            for (String bad : List.of("x; DROP TABLE", "", "a".repeat(65), "eu/1", "\u00e5")) {
                String event = "{\"event\":\"heartbeat\",\"sessionId\":\"s\",\"timestamp\":1,\"playhead\":1,"
                        + "\"duration\":1,\"shardId\":\"" + bad + "\"}";
                HttpResponse<String> r = sink.post(event);
                assertThat(r.statusCode()).as(bad).isEqualTo(400);
                assertThat(PublicApiTest.json(r).getJsonArray("errors").getString(0))
                        .isEqualTo("shardId: must match ^[A-Za-z0-9_-]{1,64}$");
            }
            assertThat(sink.post("{\"event\":\"heartbeat\",\"sessionId\":\"s\",\"timestamp\":1,\"playhead\":1,"
                                    + "\"duration\":1,\"shardId\":\"" + "a".repeat(64) + "\"}")
                            .statusCode())
                    .isEqualTo(200);
        }
        try (RunningSink sink = RunningSink.sqs(sqs, queue, Map.of("SHARD_ID_PATTERN", "^(eu|us)-[0-9]$"))) {
            assertThat(sink.post("{\"event\":\"heartbeat\",\"sessionId\":\"s\",\"timestamp\":1,\"playhead\":1,"
                                    + "\"duration\":1,\"shardId\":\"eu-1\"}")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(sink.post("{\"event\":\"heartbeat\",\"sessionId\":\"s\",\"timestamp\":1,\"playhead\":1,"
                                    + "\"duration\":1,\"shardId\":\"eu_1\"}")
                            .statusCode())
                    .isEqualTo(400);
        }
        assertThat(stored(queue).values().stream()
                        .map(m -> m.messageAttributes().get("ShardId").stringValue()))
                .containsExactlyInAnyOrder("a".repeat(64), "eu-1");
    }

    @Test
    void gzipAndDeflateBodiesAreDecodedAndStoredAsTheClientWroteThem() {
        String queue = sqs.createQueue("compressed");
        String one = Events.heartbeat("gz-1", 1);
        String batch = "[" + Events.heartbeat("df-1", 1) + "," + Events.heartbeat("df-2", 2) + "]";
        String raw = Events.heartbeat("raw-1", 1);
        String ndjson = Events.heartbeat("xg-1", 1) + "\n" + Events.heartbeat("xg-2", 2);
        try (RunningSink sink = RunningSink.sqs(sqs, queue, Map.of())) {
            assertThat(sink.post(gzip(utf8(one)), "application/json", Map.of("Content-Encoding", "gzip"))
                            .statusCode())
                    .isEqualTo(200);
            assertThat(sink.post(deflate(utf8(batch), false), "application/json", Map.of("Content-Encoding", "deflate"))
                            .statusCode())
                    .isEqualTo(200);
            assertThat(sink.post(deflate(utf8(raw), true), "text/plain", Map.of("Content-Encoding", "Deflate"))
                            .statusCode())
                    .isEqualTo(200);
            assertThat(sink.post(gzip(utf8(ndjson)), "application/x-ndjson", Map.of("Content-Encoding", "x-gzip"))
                            .statusCode())
                    .isEqualTo(200);
            assertThat(sink.post(
                                    utf8(Events.heartbeat("id-1", 1)),
                                    "application/json",
                                    Map.of("Content-Encoding", "identity"))
                            .statusCode())
                    .isEqualTo(200);
        }
        assertThat(stored(queue).keySet())
                .contains(
                        one, raw, Events.heartbeat("df-1", 1), Events.heartbeat("df-2", 2), Events.heartbeat("xg-2", 2))
                .hasSize(7);
    }

    /** A few tens of KB that would inflate to 50 MB: refused once the limit is passed, never held in memory. */
    @Test
    void aCompressionBombGets413() {
        byte[] inflated = new byte[50 * 1024 * 1024];
        Arrays.fill(inflated, (byte) ' ');
        inflated[0] = '[';
        inflated[inflated.length - 1] = ']';
        byte[] bomb = gzip(inflated);
        assertThat(bomb.length).isLessThan(100 * 1024);
        try (RunningSink sink = RunningSink.sqs(sqs, sqs.createQueue("bomb"), Map.of())) {
            HttpResponse<String> r = sink.post(bomb, "application/json", Map.of("Content-Encoding", "gzip"));
            assertThat(r.statusCode()).isEqualTo(413);
            assertThat(PublicApiTest.json(r).getJsonArray("errors").getString(0))
                    .isEqualTo("body: larger than 262144 bytes");
        }
    }

    @Test
    void brokenAndUnknownEncodingsAreTheClientsMistake() {
        byte[] truncated = Arrays.copyOf(gzip(utf8(Events.heartbeat("t", 1))), 20);
        try (LogCapture logs = new LogCapture();
                RunningSink sink = RunningSink.sqs(sqs, sqs.createQueue("bad-encodings"), Map.of())) {
            HttpResponse<String> cut = sink.post(truncated, "application/json", Map.of("Content-Encoding", "gzip"));
            assertThat(cut.statusCode()).isEqualTo(400);
            assertThat(PublicApiTest.json(cut).getJsonArray("errors").getString(0))
                    .isEqualTo("body: not a valid gzip stream (corrupt or truncated)");
            HttpResponse<String> notGzip =
                    sink.post(utf8(Events.heartbeat("p", 1)), "application/json", Map.of("Content-Encoding", "gzip"));
            assertThat(notGzip.statusCode()).isEqualTo(400);
            HttpResponse<String> brotli =
                    sink.post(utf8(Events.heartbeat("b", 1)), "application/json", Map.of("Content-Encoding", "br"));
            assertThat(brotli.statusCode()).isEqualTo(415);
            assertThat(PublicApiTest.json(brotli).getString("message"))
                    .isEqualTo("Content-Encoding 'br' is not supported: use gzip, deflate or identity");
            HttpResponse<String> twice = sink.post(
                    gzip(gzip(utf8(Events.heartbeat("g", 1)))),
                    "application/json",
                    Map.of("Content-Encoding", "gzip, gzip"));
            assertThat(twice.statusCode()).isEqualTo(415);
            assertThat(logs.withStackTraces()).isEmpty();
        }
    }
}
