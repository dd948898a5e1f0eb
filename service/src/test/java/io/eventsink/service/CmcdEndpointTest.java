package io.eventsink.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventsink.embeddedsqs.EmbeddedSqs;
import io.eventsink.service.epas.EventValidator;
import io.eventsink.settings.ServiceSettings;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * {@code /cmcd} over real HTTP into ElasticMQ: CMCD v2 event-mode bodies, request-mode headers and
 * query, and player-analytics-eventsink's JSON shapes; every event that lands in the queue is read
 * back and checked against EPAS. Reports are written here from CTA-5004-B's rules (one record per
 * line, alphabetical keys, inner lists), for one made-up session.
 */
class CmcdEndpointTest {

    private static final String SID = "sid=\"5b1c0f4e-2d0a-4c7e-9a51-0c2f7e9d1a11\"";
    private static final EventValidator EPAS =
            new EventValidator(32, Pattern.compile(ServiceSettings.SHARD_ID_PATTERN_DEFAULT));
    private static EmbeddedSqs sqs;

    @BeforeAll
    static void start() {
        sqs = EmbeddedSqs.start();
    }

    @AfterAll
    static void stop() {
        sqs.close();
    }

    private static HttpResponse<String> cmcd(RunningSink sink, String body, String contentType) {
        return RunningSink.send(java.net.http.HttpRequest.newBuilder(sink.base.resolve("/cmcd"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    /** The events in the queue, each checked against EPAS and for its attributes. */
    private static List<JsonObject> stored(String queue) {
        List<Message> messages = sqs.drain(queue, Duration.ofMillis(400));
        for (Message m : messages) {
            assertThat(EPAS.validate(m.body().getBytes(StandardCharsets.UTF_8)).errors())
                    .as(m.body())
                    .isEmpty();
            assertThat(m.messageAttributes().get("Source").stringValue()).isEqualTo("cmcd");
        }
        return messages.stream()
                .map(m -> Json.createReader(new StringReader(m.body())).readObject())
                // SQS keeps no order, and the events one report becomes share its ts: ties by name
                .sorted(Comparator.<JsonObject>comparingLong(
                                o -> o.getJsonNumber("timestamp").longValue())
                        .thenComparing(o -> o.getString("event")))
                .toList();
    }

    private static List<String> events(List<JsonObject> stored) {
        return stored.stream().map(o -> o.getString("event")).toList();
    }

    @Test
    void aSessionReportedInEventModeBecomesEpasEvents() {
        String queue = sqs.createQueue("cmcd-session");
        List<String> posts = List.of(
                // startup then playing, in one body ending with an LF as CML sends it
                "cid=\"movie-42\",e=ps,sn=0," + SID + ",sta=s,ts=1767225600000,v=2\n"
                        + "br=(3000;v 128;a),cid=\"movie-42\",e=ps,msd=1450,pt=0,sf=h," + SID
                        + ",sn=1,st=v,sta=p,ts=1767225601450,v=2\n",
                "br=(4500;v 128;a),cid=\"movie-42\",e=bc,mtp=(14800),pb=(3000;v 128;a),pt=39550," + SID
                        + ",sn=3,ts=1767225641000,v=2",
                "bl=(0;v 1200;a),e=ps,pt=70550," + SID + ",sn=4,sta=r,ts=1767225672000,v=2\r\n"
                        + "bs,bsa=(1),bsd=(2300),e=ps,pt=70550," + SID + ",sn=5,sta=p,ts=1767225674300,v=2",
                "e=t,pt=86250," + SID + ",sn=6,ts=1767225690000,v=2",
                "e=ps,pt=96250," + SID + ",sn=7,sta=a,ts=1767225700000,v=2",
                "e=ps,pt=97000," + SID + ",sn=8,sta=k,ts=1767225705000,v=2",
                "e=c,cid=\"ad-7\"," + SID + ",sn=9,ts=1767225706000,v=2",
                "e=e,ec=(\"SEG_404\" \"RETRY_EXHAUSTED\"),pt=103250," + SID + ",sn=10,ts=1767225712000,v=2\n"
                        + "e=ps,pt=103250," + SID + ",sn=11,sta=f,ts=1767225712050,v=2");
        try (RunningSink sink = RunningSink.sqs(sqs, queue, Map.of())) {
            for (String body : posts) {
                HttpResponse<String> r = cmcd(sink, body, "application/cmcd");
                assertThat(r.statusCode()).as(body).isEqualTo(204);
                assertThat(r.body()).isEmpty();
            }
        }
        List<JsonObject> stored = stored(queue);
        assertThat(events(stored))
                .containsExactly(
                        "init",
                        "loading",
                        "loaded",
                        "playing",
                        "bitrate_changed",
                        "buffering",
                        "buffered",
                        "playing",
                        "heartbeat",
                        "paused",
                        "seeking",
                        "metadata",
                        "error",
                        "stopped");
        assertThat(stored)
                .allSatisfy(
                        e -> assertThat(e.getString("sessionId")).isEqualTo("5b1c0f4e-2d0a-4c7e-9a51-0c2f7e9d1a11"));
        assertThat(stored.get(4).getJsonObject("payload").getInt("bitrate")).isEqualTo(4500);
        assertThat(stored.get(4).getJsonNumber("playhead").longValue()).isEqualTo(39550);
        assertThat(stored.get(12).getJsonObject("payload").getString("code")).isEqualTo("SEG_404");
        assertThat(stored.get(13).getJsonObject("payload").getString("reason")).isEqualTo("error");
    }

    @Test
    void requestModeHeadersAndTheQueryArgument() {
        String queue = sqs.createQueue("cmcd-request-mode");
        try (RunningSink sink = RunningSink.sqs(sqs, queue, Map.of())) {
            HttpResponse<String> headers =
                    RunningSink.send(java.net.http.HttpRequest.newBuilder(sink.base.resolve("/cmcd"))
                            .timeout(Duration.ofSeconds(30))
                            .header("CMCD-Request", "e=ps,ts=1767225600100")
                            .header("CMCD-Status", "sta=a")
                            .header("CMCD-Session", SID + ",v=2")
                            .header("CMCD-Object", "br=(3000;v)")
                            .GET()
                            .build());
            assertThat(headers.statusCode()).isEqualTo(204);
            String report = URLEncoder.encode("e=t," + SID + ",ts=1767225600200,v=2", StandardCharsets.UTF_8);
            assertThat(sink.request("GET", "/cmcd?CMCD=" + report, Map.of()).statusCode())
                    .isEqualTo(204);
            // headers win over the query (CTA-5004-B section 6)
            String ignored = URLEncoder.encode("e=t," + SID + ",ts=1767225600400", StandardCharsets.UTF_8);
            assertThat(sink.request(
                                    "POST",
                                    "/cmcd?CMCD=" + ignored,
                                    Map.of("CMCD-Request", "e=ps,sta=r,ts=1767225600300", "CMCD-Session", SID))
                            .statusCode())
                    .isEqualTo(204);
        }
        assertThat(events(stored(queue))).containsExactly("paused", "heartbeat", "buffering");
    }

    @Test
    void reportsThatGiveNoEventAreSkippedAndCounted() {
        String queue = sqs.createQueue("cmcd-skipped");
        try (LogCapture log = new LogCapture();
                RunningSink sink = RunningSink.sqs(sqs, queue, Map.of())) {
            String metrics = sink.management("metrics").body();
            HttpResponse<String> r = cmcd(
                    sink,
                    "e=t,ts=1767225600000,v=2\n" // no sid: EPAS cannot have it
                            + "e=t," + SID + ",ts=1767225600001,v=3\n" // a version we do not read
                            + "e=m," + SID + ",ts=1767225600002\n" // muted: no EPAS event
                            + SID + ",ts=1767225600003\n" // no e: unusable
                            + "e=t," + SID
                            + ",ts=1767225600004,v=2,sid=\"unterminated\n" // a broken member: the rest stands
                            + "%%% not cmcd %%%\n"
                            + "e=t," + SID + ",ts=1767225600005,v=2",
                    "text/cmcd; charset=utf-8");
            assertThat(r.statusCode()).isEqualTo(204);
            String after = sink.management("metrics").body();
            assertThat(delta(metrics, after, "eventsink_cmcd_reports_received_total"))
                    .isEqualTo(7);
            assertThat(delta(metrics, after, "eventsink_cmcd_reports_skipped_total{reason=\"no_session_id\""))
                    .isEqualTo(1);
            assertThat(delta(metrics, after, "eventsink_cmcd_reports_skipped_total{reason=\"newer_version\""))
                    .isEqualTo(1);
            assertThat(delta(metrics, after, "eventsink_cmcd_reports_skipped_total{reason=\"unmapped_event\""))
                    .isEqualTo(1);
            assertThat(delta(metrics, after, "eventsink_cmcd_reports_skipped_total{reason=\"unusable\""))
                    .isEqualTo(1);
            assertThat(delta(metrics, after, "eventsink_cmcd_reports_skipped_total{reason=\"unparsable\""))
                    .isEqualTo(1);
            assertThat(delta(metrics, after, "eventsink_cmcd_events_produced_total{event=\"heartbeat\""))
                    .isEqualTo(2);
            // whoever set the player up reads why: one line per set of missing keys, no raw input
            assertThat(log.records)
                    .extracting(LogRecord::getMessage)
                    .filteredOn(m -> m.startsWith("CMCD: "))
                    .containsExactly(
                            "CMCD: 1 report skipped without sid since the last such line (answered 204, stored"
                                    + " nothing; at most one line a minute). The last one had the keys: e, ts, v."
                                    + " The player's event target must send sid (dash.js and the CML reporter send"
                                    + " only the keys listed in enabledKeys): see docs/cmcd.md",
                            "CMCD: 1 report skipped without e since the last such line (answered 204, stored"
                                    + " nothing; at most one line a minute). The last one had the keys: sid, ts."
                                    + " The player's event target must send e (dash.js and the CML reporter send"
                                    + " only the keys listed in enabledKeys): see docs/cmcd.md");
        }
        assertThat(stored(queue))
                .extracting(o -> o.getJsonNumber("timestamp").longValue())
                .containsExactly(1767225600004L, 1767225600005L);
    }

    private static double delta(String before, String after, String series) {
        return SqsDeliveryTest.metricValue(after, series) - SqsDeliveryTest.metricValue(before, series);
    }

    @Test
    void hostileBodies() {
        String queue = sqs.createQueue("cmcd-hostile");
        try (LogCapture logs = new LogCapture();
                RunningSink sink = RunningSink.sqs(sqs, queue, Map.of())) {
            // nothing readable at all: 400 (players treat it as final)
            HttpResponse<String> binary = RunningSink.send(java.net.http.HttpRequest.newBuilder(
                            sink.base.resolve("/cmcd"))
                    .header("Content-Type", "application/cmcd")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[] {(byte) 0xC3, 0x28, 0, 1, 2}))
                    .build());
            assertThat(binary.statusCode()).isEqualTo(400);
            HttpResponse<String> garbage = cmcd(sink, "\"\n(((\n=,=,=\n", "application/cmcd");
            assertThat(garbage.statusCode()).isEqualTo(400);
            assertThat(PublicApiTest.json(garbage).getString("message")).startsWith("No CMCD report could be read");
            // a line longer than the body limit: 413
            assertThat(cmcd(sink, "e=t," + SID + ",ts=1,x=\"" + "y".repeat(300_000) + "\"", "application/cmcd")
                            .statusCode())
                    .isEqualTo(413);
            // 10,000 reports: over MAX_BATCH_EVENTS (500)
            String many = ("e=t," + SID + ",ts=1767225600000\n").repeat(10_000);
            assertThat(cmcd(sink, many, "application/cmcd").statusCode()).isEqualTo(413);
            assertThat(cmcd(sink, "e=t," + SID + ",ts=1", "application/xml").statusCode())
                    .isEqualTo(415);
            assertThat(logs.withStackTraces()).isEmpty();
        }
        // 10,000 reports the limit allows, none mappable (no sid): parsed and skipped, nothing stored
        try (RunningSink sink =
                RunningSink.sqs(sqs, queue, Map.of("MAX_BATCH_EVENTS", "10000", "MAX_BODY_BYTES", "1048576"))) {
            String many = "e=t,ts=1767225600000,bl=(1200;v 800;a),br=(3000;v),cid=\"c\"\n".repeat(10_000);
            assertThat(cmcd(sink, many, "application/cmcd").statusCode()).isEqualTo(204);
        }
        assertThat(stored(queue)).isEmpty();
    }

    @Test
    void switchedOffAnswers410() {
        try (RunningSink sink = RunningSink.sqs(sqs, sqs.createQueue("cmcd-off"), Map.of("CMCD_ENABLED", "false"))) {
            HttpResponse<String> r = cmcd(sink, "e=t," + SID + ",ts=1", "application/cmcd");
            assertThat(r.statusCode()).isEqualTo(410);
            assertThat(PublicApiTest.json(r).getString("message")).contains("stop sending");
        }
    }

    @Test
    void backpressureIs429AndAFailedStoreIs503() throws Exception {
        try (BackpressureTest.BlackHole hole = new BackpressureTest.BlackHole();
                RunningSink sink = RunningSink.with(
                        EventSinkServer.writerFor(RunningSink.settings(Map.of(
                                "SQS_QUEUE_URL", "http://127.0.0.1:" + hole.port() + "/000000000000/q",
                                "SQS_ENDPOINT", "http://127.0.0.1:" + hole.port(),
                                "AWS_REGION", "elasticmq"))),
                        Map.of("MAX_PENDING_EVENTS", "1", "DELIVERY_TIMEOUT_MS", "1500"))) {
            // the first report's event fills the buffer (the queue never answers) and times out: 503
            CompletableFuture<HttpResponse<String>> first =
                    CompletableFuture.supplyAsync(() -> cmcd(sink, "e=t," + SID + ",ts=1", "application/cmcd"));
            org.awaitility.Awaitility.await()
                    .until(() -> SqsDeliveryTest.metricValue(
                                    sink.management("metrics").body(), "eventsink_events_pending")
                            == 1);
            HttpResponse<String> second = cmcd(sink, "e=t," + SID + ",ts=2", "application/cmcd");
            assertThat(second.statusCode()).isEqualTo(429);
            assertThat(second.headers().firstValue("Retry-After")).hasValue("1");
            HttpResponse<String> timedOut = first.get();
            assertThat(timedOut.statusCode()).isEqualTo(503);
            assertThat(timedOut.headers().firstValue("Retry-After")).isPresent();
        }
    }

    @Test
    void browsersArePreflightedForApplicationCmcd() {
        try (RunningSink sink = RunningSink.sqs(
                sqs, sqs.createQueue("cmcd-cors"), Map.of("CORS_ALLOWED_ORIGINS", "https://player.example"))) {
            HttpResponse<String> preflight = sink.request(
                    "OPTIONS",
                    "/cmcd",
                    Map.of(
                            "Origin", "https://player.example",
                            "Access-Control-Request-Method", "POST",
                            "Access-Control-Request-Headers", "content-type"));
            assertThat(preflight.statusCode()).isEqualTo(200);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
                    .hasValue("https://player.example");
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods"))
                    .hasValue("GET, POST, OPTIONS");
            assertThat(preflight
                            .headers()
                            .firstValue("Access-Control-Allow-Headers")
                            .orElseThrow())
                    .contains("Content-Type", "CMCD-Request", "CMCD-Session", "Authorization");
            HttpResponse<String> foreign =
                    RunningSink.send(java.net.http.HttpRequest.newBuilder(sink.base.resolve("/cmcd"))
                            .header("Content-Type", "application/cmcd")
                            .header("Origin", "https://evil.example")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("e=t," + SID + ",ts=1"))
                            .build());
            assertThat(foreign.statusCode()).isEqualTo(403);
            assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin"))
                    .isEmpty();
            assertThat(sink.request("DELETE", "/cmcd", Map.of()).headers().firstValue("Allow"))
                    .hasValue("GET, POST, OPTIONS");
        }
    }

    /** The JSON shapes player-analytics-eventsink's clients send, answered in its own response shape. */
    @Test
    void theReferenceSinksJsonShapesKeepWorking() {
        String queue = sqs.createQueue("cmcd-json");
        try (RunningSink sink = RunningSink.sqs(sqs, queue, Map.of())) {
            HttpResponse<String> one = cmcd(
                    sink,
                    "{\"cmcd\":{\"session\":{\"sid\":\"ref-1\",\"cid\":\"movie\",\"v\":2},"
                            + "\"object\":{\"br\":3000},\"event\":{\"e\":\"st\",\"ts\":1767225600000}}}",
                    "application/json");
            assertThat(one.statusCode()).isEqualTo(200);
            JsonObject answer = PublicApiTest.json(one);
            assertThat(answer.getString("sessionId")).isEqualTo("ref-1");
            assertThat(answer.getInt("eventsProcessed")).isEqualTo(1);
            assertThat(answer.getInt("totalEvents")).isEqualTo(1);
            assertThat(answer.getJsonArray("results").getJsonObject(0).getString("event"))
                    .isEqualTo("buffering");
            assertThat(answer.getJsonArray("results").getJsonObject(0).getBoolean("success"))
                    .isTrue();

            HttpResponse<String> batch = cmcd(
                    sink,
                    "{\"session\":{\"sid\":\"ref-2\"},\"events\":["
                            + "{\"event\":{\"e\":\"ps\",\"ts\":1767225601000}},"
                            + "{\"event\":{\"e\":\"se\",\"ts\":1767225602000}},"
                            + "{\"event\":{\"e\":\"er\",\"ts\":1767225603000},\"response\":{\"rc\":404}},"
                            + "{\"session\":{\"cid\":\"ad-1\"},\"event\":{\"e\":\"cc\",\"ts\":1767225604000}},"
                            + "{\"event\":{\"e\":\"is\",\"ts\":1767225605000}}]}",
                    "application/json");
            assertThat(batch.statusCode()).isEqualTo(200);
            assertThat(PublicApiTest.json(batch).getInt("eventsProcessed")).isEqualTo(4);

            HttpResponse<String> broken = cmcd(sink, "{\"cmcd\":", "application/json");
            assertThat(broken.statusCode()).isEqualTo(400);
            assertThat(PublicApiTest.json(broken).getString("error")).isEqualTo("Invalid CMCDv2 data");
            HttpResponse<String> neither = cmcd(sink, "{\"something\":1}", "application/json");
            assertThat(neither.statusCode()).isEqualTo(400);
            HttpResponse<String> deep =
                    cmcd(sink, "{\"cmcd\":" + "[".repeat(5000) + "]".repeat(5000) + "}", "application/json");
            assertThat(deep.statusCode()).isEqualTo(400);
        }
        List<JsonObject> stored = stored(queue);
        assertThat(events(stored)).containsExactly("buffering", "playing", "seeking", "error", "metadata");
        assertThat(stored.get(3).getJsonObject("payload").getString("code")).isEqualTo("404");
        assertThat(stored.get(4).getJsonObject("payload").getString("contentId"))
                .isEqualTo("ad-1");
        assertThat(stored.stream().map(o -> o.getString("sessionId")).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("ref-1", "ref-2");
    }
}
