package io.eventsink.service.delivery.sqs;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * SQS calls on Helidon's HTTP/1.1 client, the HTTP stack the service already runs: blocking I/O
 * on the caller's virtual thread, keep-alive connections reused across calls, TLS from the JDK.
 */
public final class HelidonSqsTransport implements SqsTransport {

    private static final HeaderName QUERY_ERROR = HeaderNames.create("x-amzn-query-error");

    private final Http1Client client;

    public HelidonSqsTransport(URI endpoint, int connections) {
        this.client = Http1Client.builder()
                .baseUri(endpoint)
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(5))
                .connectionCacheSize(connections)
                .shareConnectionCache(false)
                .followRedirects(false)
                .servicesDiscoverServices(false)
                .build();
    }

    @Override
    public Response post(Map<String, String> headers, byte[] body) throws IOException {
        Http1ClientRequest request = client.post().header(HeaderValues.CONNECTION_KEEP_ALIVE);
        headers.forEach((name, value) -> request.header(HeaderNames.create(name), value));
        try (HttpClientResponse response = request.submit(body)) {
            byte[] answer = response.entity().as(byte[].class);
            String queryError = response.headers().first(QUERY_ERROR).orElse(null);
            return new Response(response.status().code(), answer, queryError);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public void close() {
        client.closeResource();
    }
}
