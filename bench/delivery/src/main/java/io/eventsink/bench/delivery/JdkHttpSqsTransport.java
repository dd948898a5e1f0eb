package io.eventsink.bench.delivery;

import io.eventsink.service.delivery.sqs.SqsTransport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** A candidate transport for the shipped SQS writer: the JDK's HTTP client instead of Helidon's. */
final class JdkHttpSqsTransport implements SqsTransport {

    /** The JDK client sets these itself and refuses them as user headers. */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection");

    private final URI endpoint;
    private final HttpClient client;

    JdkHttpSqsTransport(URI endpoint) {
        this.endpoint = endpoint;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
    }

    @Override
    public Response post(Map<String, String> headers, byte[] body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((k, v) -> {
            if (!RESTRICTED.contains(k.toLowerCase(java.util.Locale.ROOT))) {
                request.header(k, v);
            }
        });
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(
                    response.statusCode(),
                    response.body(),
                    response.headers().firstValue("x-amzn-query-error").orElse(null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
