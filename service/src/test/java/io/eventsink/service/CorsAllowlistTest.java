package io.eventsink.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventsink.service.delivery.StdoutBatchWriter;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With CORS_ALLOWED_ORIGINS set, only listed origins get CORS headers and may post. */
class CorsAllowlistTest {

    private static final ByteArrayOutputStream OUT = new ByteArrayOutputStream();
    private static RunningSink sink;

    @BeforeAll
    static void start() {
        sink = RunningSink.with(
                new StdoutBatchWriter(OUT), Map.of("CORS_ALLOWED_ORIGINS", "https://a.example, https://b.example"));
    }

    @AfterAll
    static void stop() {
        sink.close();
    }

    @Test
    void listedOriginIsEchoedNotStar() {
        HttpResponse<String> r =
                sink.post(Events.heartbeat("c1", 1), "text/plain", Map.of("Origin", "https://b.example"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://b.example");
        assertThat(r.headers().firstValue("Vary")).hasValue("Origin");
        HttpResponse<String> preflight = sink.request("OPTIONS", "/", Map.of("Origin", "https://a.example"));
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
                .hasValue("https://a.example");
    }

    @Test
    void foreignOriginGetsNoCorsHeaderAndCannotPost() {
        HttpResponse<String> preflight = sink.request("OPTIONS", "/", Map.of("Origin", "https://evil.example"));
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
                .isEmpty();
        int before = OUT.size();
        HttpResponse<String> r =
                sink.post(Events.heartbeat("c2", 1), "text/plain", Map.of("Origin", "https://evil.example"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(r.body()).contains("Origin not allowed").doesNotContain("evil");
        assertThat(OUT.size()).isEqualTo(before);
    }

    @Test
    void requestsWithoutOriginAreNotBrowsersAndPass() {
        HttpResponse<String> r = sink.post(Events.heartbeat("c3", 1));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
}
