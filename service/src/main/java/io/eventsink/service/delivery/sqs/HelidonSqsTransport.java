package io.eventsink.service.delivery.sqs;

import io.helidon.common.tls.Tls;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientConfig;
import io.helidon.webclient.http1.Http1ClientRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ProxySelector;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * SQS calls on Helidon's HTTP/1.1 client, the HTTP stack the service already runs: blocking I/O
 * on the caller's virtual thread, keep-alive connections reused across calls, TLS from the JDK.
 */
public final class HelidonSqsTransport implements SqsTransport {

    private static final HeaderName QUERY_ERROR = HeaderNames.create("x-amzn-query-error");

    private final Http1Client client;

    public HelidonSqsTransport(URI endpoint, int connections) {
        this(endpoint, connections, null);
    }

    /** With {@code trust} null, the JDK's default trust store and hostname verification, as against AWS. */
    HelidonSqsTransport(URI endpoint, int connections, SSLContext trust) {
        Http1ClientConfig.Builder builder = Http1Client.builder();
        if (trust != null) {
            builder.tls(Tls.builder().sslContext(trust).build());
        }
        if (direct(endpoint)) {
            // Helidon asks the JVM's ProxySelector on every call, a cost that shows in profiles: ask once.
            builder.proxy(Proxy.noProxy());
        }
        this.client = builder.baseUri(endpoint)
                // The headers are ours and the signer's; SQS's answer is read for its status, body and one header.
                .protocolConfig(p -> p.validateRequestHeaders(false).validateResponseHeaders(false))
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(5))
                .connectionCacheSize(connections)
                .shareConnectionCache(false)
                .followRedirects(false)
                .servicesDiscoverServices(false)
                .build();
    }

    /** Whether the JVM's proxy settings ({@code https.proxyHost}, {@code http.nonProxyHosts}…) send the endpoint direct. */
    static boolean direct(URI endpoint) {
        ProxySelector selector = ProxySelector.getDefault();
        return selector == null
                || selector.select(endpoint).stream().allMatch(p -> p.type() == java.net.Proxy.Type.DIRECT);
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
