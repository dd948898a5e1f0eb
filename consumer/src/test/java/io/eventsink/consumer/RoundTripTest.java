package io.eventsink.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventsink.embeddedsqs.EmbeddedSqs;
import io.eventsink.service.EventSinkServer;
import io.eventsink.service.Settings;
import io.helidon.config.Config;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The real service writes, ElasticMQ stores, this library reads: the same requests in the event
 * format, packed, and packed with gzip must give back the same events with the same attributes.
 */
class RoundTripTest {

    static {
        System.setProperty("aws.accessKeyId", EmbeddedSqs.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", EmbeddedSqs.SECRET_KEY);
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static EmbeddedSqs sqs;

    @BeforeAll
    static void start() {
        sqs = EmbeddedSqs.start();
    }

    @AfterAll
    static void stop() {
        sqs.close();
    }

    @Test
    void everyEventTypeBatchesAndCmcdComeBackTheSameInEveryFormat() throws Exception {
        List<QueueEvent> asEvents = roundTrip("event", Map.of("SQS_MESSAGE_FORMAT", "event"));
        List<QueueEvent> packed = roundTrip("packed", Map.of("SQS_MESSAGE_FORMAT", "packed"));
        List<QueueEvent> gzip =
                roundTrip("gzip", Map.of("SQS_MESSAGE_FORMAT", "packed", "SQS_PACK_COMPRESSION", "gzip"));

        assertThat(asEvents).hasSize(expectedEvents());
        assertThat(comparable(packed)).isEqualTo(comparable(asEvents));
        assertThat(comparable(gzip)).isEqualTo(comparable(asEvents));
        assertThat(asEvents).allSatisfy(e -> assertThat(e.receivedAtMs()).isPositive());
    }

    /** Each event: its JSON (raw line breaks, JSON whitespace, become spaces when packed) and its attributes but ReceivedAt. */
    private static List<String> comparable(List<QueueEvent> events) {
        return events.stream()
                .map(e -> {
                    Map<String, String> attributes = new HashMap<>(e.attributes());
                    assertThat(attributes.remove("ReceivedAt")).isNotNull();
                    return e.json().replace('\n', ' ').replace('\r', ' ') + " "
                            + attributes.entrySet().stream()
                                    .sorted(Map.Entry.comparingByKey())
                                    .map(Object::toString)
                                    .collect(Collectors.joining(","));
                })
                .sorted(Comparator.naturalOrder())
                .toList();
    }

    private static final List<String> TYPES = List.of(
            "init",
            "metadata",
            "heartbeat",
            "loading",
            "loaded",
            "playing",
            "paused",
            "buffering",
            "buffered",
            "seeking",
            "seeked",
            "bitrate_changed",
            "error",
            "warning",
            "stopped");

    private static String event(String type, String sid, long ts) {
        String payload = switch (type) {
            case "metadata" ->
                ",\"payload\":{\"live\":false,\"contentId\":\"bbb\",\"contentTitle\":\"B\u00e5t \\\"1\\\"\"}";
            case "bitrate_changed" -> ",\"payload\":{\"bitrate\":4500,\"videoBitrate\":4300,\"audioBitrate\":200}";
            case "error" ->
                ",\"payload\":{\"category\":\"NETWORK\",\"code\":\"404\",\"data\":{\"r\":[1,{\"x\":null}]}}";
            case "warning" -> ",\"payload\":{\"category\":\"DRM\",\"code\":\"W1\"}";
            case "stopped" -> ",\"payload\":{\"reason\":\"ended\"}";
            default -> "";
        };
        long t = type.equals("init") ? -1 : ts;
        return "{\"event\":\"" + type + "\",\"sessionId\":\"" + sid + "\",\"timestamp\":" + t
                + ",\"playhead\":" + (type.equals("init") ? -1 : 1500) + ",\"duration\":-1"
                + (type.equals("heartbeat") ? ",\"shardId\":\"eu-1\"" : "") + payload + "}";
    }

    private static final String ODD =
            "{ \"event\" : \"heartbeat\",\n  \"sessionId\" : \"rt-\u00e5\u00e4\u00f6-\uD83C\uDFAC-\\\"q\\\"\","
                    + "\r\n \"timestamp\" : 1.7000000055e12, \"playhead\":5000.25,\"duration\":-1 }";
    private static final String CMCD = "cid=\"movie-42\",e=ps,sid=\"rt-cmcd\",sn=0,sta=s,ts=1767225600000,v=2\n"
            + "br=(3000;v 128;a),e=ps,msd=1450,pt=0,sid=\"rt-cmcd\",sn=1,sta=p,ts=1767225601450,v=2\n";

    private static int expectedEvents() {
        return TYPES.size() /* one by one */ + TYPES.size() /* array */ + 3 /* NDJSON */ + 1 /* odd */ + 4 /* CMCD */;
    }

    private static List<QueueEvent> roundTrip(String name, Map<String, String> format) throws Exception {
        String queue = sqs.createQueue("round-trip-" + name);
        Map<String, String> env = new HashMap<>(format);
        env.put("HOST", "127.0.0.1");
        env.put("PORT", "0");
        env.put("MANAGEMENT_PORT", "0");
        env.put("SQS_QUEUE_URL", queue);
        env.put("SQS_ENDPOINT", sqs.endpoint());
        env.put("AWS_REGION", EmbeddedSqs.REGION);
        env.put("WARMUP_ENABLED", "false");
        env.put("SQS_PACK_LINGER_MS", "20");
        EventSinkServer server = EventSinkServer.start(Settings.load(Config.create(), env));
        try {
            URI base = URI.create("http://127.0.0.1:" + server.port() + "/");
            for (String type : TYPES) {
                post(base, event(type, "one", 1700000000000L), "application/json", "https://player.example");
            }
            post(
                    base,
                    "["
                            + String.join(
                                    ",",
                                    TYPES.stream()
                                            .map(t -> event(t, "arr", 1700000001000L))
                                            .toList())
                            + "]",
                    "application/json",
                    null);
            post(
                    base,
                    event("heartbeat", "nd", 1700000002000L) + "\n" + event("paused", "nd", 1700000003000L) + "\n"
                            + event("stopped", "nd", 1700000004000L) + "\n",
                    "application/x-ndjson",
                    null);
            post(base, ODD, null, null);
            HttpResponse<String> cmcd = HTTP.send(
                    HttpRequest.newBuilder(base.resolve("/cmcd"))
                            .header("Content-Type", "application/cmcd")
                            .POST(HttpRequest.BodyPublishers.ofString(CMCD))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(cmcd.statusCode()).isEqualTo(204);
        } finally {
            server.shutdown();
        }
        List<QueueEvent> events = new ArrayList<>();
        for (Message m : sqs.drain(queue, Duration.ofMillis(500))) {
            Map<String, String> attributes = new HashMap<>();
            for (Map.Entry<String, MessageAttributeValue> a :
                    m.messageAttributes().entrySet()) {
                attributes.put(a.getKey(), a.getValue().stringValue());
            }
            events.addAll(QueueMessages.read(m.body(), attributes));
        }
        return events;
    }

    private static void post(URI base, String body, String contentType, String origin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (origin != null) {
            request.header("Origin", origin);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
}
