package io.eventsink.bench.delivery;

import io.eventsink.service.delivery.sqs.SqsTransport;
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
 * A candidate transport: Helidon's HTTP client with its defaults, as the shipped transport was
 * before it stopped asking the proxy selector and validating its own headers on every call.
 */
final class HelidonDefaultsSqsTransport implements SqsTransport {

    private final Http1Client client;

    HelidonDefaultsSqsTransport(URI endpoint, int connections) {
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
            return new Response(
                    response.status().code(),
                    response.entity().as(byte[].class),
                    response.headers()
                            .first(HeaderNames.create("x-amzn-query-error"))
                            .orElse(null));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public void close() {
        client.closeResource();
    }
}
