package io.eventsink.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventsink.service.delivery.StdoutBatchWriter;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Arbitrary bodies, content types and codings against the real service, on {@code POST /} and
 * {@code /cmcd}: never a 5xx (with nothing to store, no 503 either), never a stack trace.
 */
class IngestFuzzTest {

    private static RunningSink sink;
    private static LogCapture logs;

    @BeforeContainer
    static void start() {
        logs = new LogCapture();
        sink = RunningSink.with(new StdoutBatchWriter(new ByteArrayOutputStream()), Map.of("MAX_BATCH_EVENTS", "20"));
    }

    @AfterContainer
    static void stop() {
        sink.close();
        assertThat(logs.withStackTraces()).isEmpty();
        logs.close();
    }

    @Property(tries = 400)
    void noInputIsAServerError(
            @ForAll("bodies") byte[] body,
            @ForAll("contentTypes") String contentType,
            @ForAll("codings") String coding,
            @ForAll("paths") String path) {
        byte[] sent = switch (coding) {
            case "gzip" -> BatchAndCompressionTest.gzip(body);
            case "deflate" -> BatchAndCompressionTest.deflate(body, body.length % 2 == 0);
            default -> body;
        };
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(sink.base.resolve(path))
                .timeout(java.time.Duration.ofSeconds(30))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(sent));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (!coding.isEmpty()) {
            request.header("Content-Encoding", coding);
        }
        HttpResponse<String> r = RunningSink.send(request.build());
        assertThat(r.statusCode()).as(new String(body, StandardCharsets.UTF_8)).isBetween(200, 499);
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(200),
                Arbitraries.strings()
                        .withChars("[]{},:\"\\\n\r ab1-=;()?")
                        .ofMaxLength(200)
                        .map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.of(
                                "[" + Events.heartbeat("f", 1) + "," + Events.heartbeat("g", 2) + "]",
                                Events.heartbeat("h", 1) + "\n" + Events.heartbeat("i", 2),
                                "e=t,sid=\"s\",ts=1,v=2\ne=ps,sta=p,sid=\"s\",ts=2",
                                "{\"cmcd\":{\"session\":{\"sid\":\"j\"},\"event\":{\"e\":\"ps\",\"ts\":1}}}",
                                "{\"events\":[1,2,{\"event\":{}}]}")
                        .map(s -> s.getBytes(StandardCharsets.UTF_8)));
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.of(
                        "application/json",
                        "text/plain",
                        "application/x-ndjson",
                        "application/cmcd",
                        "text/cmcd; charset=utf-8",
                        "application/xml",
                        "multipart/form-data; boundary=x",
                        "garbage/")
                .injectNull(0.1);
    }

    @Provide
    Arbitrary<String> codings() {
        return Arbitraries.of("", "", "gzip", "deflate", "br", "identity");
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.of("/", "/cmcd", "/cmcd?CMCD=e%3Dt%2Csid%3D%22q%22%2Cts%3D1", "/nope");
    }
}
