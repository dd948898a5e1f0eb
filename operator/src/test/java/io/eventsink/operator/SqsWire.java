package io.eventsink.operator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The SQS JSON protocol as the fault-injecting fronts in these tests need it: pass a call on to
 * ElasticMQ unchanged, relay its answer, or answer with an SQS error of our own.
 */
final class SqsWire {

    private static final List<String> REQUEST_HEADERS =
            List.of("Content-Type", "X-Amz-Target", "X-Amz-Date", "Authorization", "x-amzn-query-mode");
    private static final List<String> RESPONSE_HEADERS =
            List.of("Content-Type", "x-amzn-query-error", "x-amzn-RequestId");

    private SqsWire() {}

    /** Sends the call (whose body was already read) to {@code target} with the headers SigV4 and the protocol need. */
    static HttpResponse<byte[]> forward(HttpClient client, String target, HttpExchange ex, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + ex.getRequestURI()))
                .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        for (String h : REQUEST_HEADERS) {
            String v = ex.getRequestHeaders().getFirst(h);
            if (v != null) {
                request.header(h, v);
            }
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Answers the exchange with what the real server answered. */
    static void relay(HttpExchange ex, HttpResponse<byte[]> response) throws IOException {
        for (String h : RESPONSE_HEADERS) {
            response.headers()
                    .firstValue(h)
                    .ifPresent(v -> ex.getResponseHeaders().add(h, v));
        }
        byte[] out = response.body();
        ex.sendResponseHeaders(response.statusCode(), out.length == 0 ? -1 : out.length);
        ex.getResponseBody().write(out);
    }

    /** Answers with an SQS error: the SDK takes the exception class from __type, the code from the header. */
    static void error(HttpExchange ex, int status, String type, String queryError, String message) throws IOException {
        byte[] out = ("{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
        ex.getResponseHeaders().add("x-amzn-query-error", queryError);
        ex.sendResponseHeaders(status, out.length);
        ex.getResponseBody().write(out);
    }
}
