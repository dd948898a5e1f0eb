package io.eventsink.service;

import io.eventsink.embeddedsqs.EmbeddedSqs;
import io.eventsink.service.delivery.BatchWriter;
import io.helidon.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** A real EventSink on ephemeral ports, driven over real HTTP. */
final class RunningSink implements AutoCloseable {

    static {
        // The service uses the standard AWS credential chain; ElasticMQ accepts anything.
        System.setProperty("aws.accessKeyId", EmbeddedSqs.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", EmbeddedSqs.SECRET_KEY);
    }

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    final EventSinkServer server;
    final URI base;
    final URI management;

    private RunningSink(EventSinkServer server) {
        this.server = server;
        this.base = URI.create("http://127.0.0.1:" + server.port() + "/");
        this.management = URI.create("http://127.0.0.1:" + server.managementPort() + "/");
    }

    /** A sink delivering to {@code queueUrl} on the embedded SQS, with extra environment settings. */
    static RunningSink sqs(EmbeddedSqs sqs, String queueUrl, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("SQS_QUEUE_URL", queueUrl);
        all.putIfAbsent("SQS_ENDPOINT", sqs.endpoint());
        all.put("AWS_REGION", EmbeddedSqs.REGION);
        return new RunningSink(EventSinkServer.start(settings(all)));
    }

    /** A sink with its own writer (e.g. stdout into a buffer). */
    static RunningSink with(BatchWriter writer, Map<String, String> env) {
        return new RunningSink(EventSinkServer.start(settings(env), writer));
    }

    static Settings settings(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("HOST", "127.0.0.1");
        all.putIfAbsent("PORT", "0");
        all.putIfAbsent("MANAGEMENT_PORT", "0");
        // tests start many sinks: the warm-up before readiness is WarmupTest's
        all.putIfAbsent("WARMUP_ENABLED", "false");
        return Settings.load(Config.create(), all);
    }

    HttpResponse<String> post(String body) {
        return post(body, "application/json", Map.of());
    }

    /** POST / with a content type (null: none at all) and extra headers. */
    HttpResponse<String> post(String body, String contentType, Map<String, String> headers) {
        return post(body.getBytes(StandardCharsets.UTF_8), contentType, headers);
    }

    HttpResponse<String> post(byte[] body, String contentType, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        return send(request.build());
    }

    HttpResponse<String> request(String method, String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        return send(request.build());
    }

    HttpResponse<String> management(String path) {
        return send(HttpRequest.newBuilder(management.resolve(path))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build());
    }

    HttpResponse<String> publicGet(String path) {
        return request("GET", path, Map.of());
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
