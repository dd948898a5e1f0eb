package io.eventsink.service.http;

import io.eventsink.service.http.connection.ConnectionGuard;
import io.eventsink.service.http.ingest.Answers;
import io.eventsink.service.http.ingest.IngestMetrics;
import io.eventsink.service.http.ingest.JsonBodies;
import io.eventsink.service.http.ingest.Rejection;
import io.helidon.http.DirectHandler;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.http.encoding.ContentEncodingContext;
import io.helidon.webserver.http.DirectHandlers;

/**
 * JSON bodies for errors Helidon answers before routing (broken HTTP, a declared body over the
 * limit). Fixed messages: the transport's own text may quote the client's bytes, and client
 * mistakes are not worth a stack trace in our log.
 */
public final class TransportErrors {

    private static final Header RETRY_AFTER = HeaderValues.create(HeaderNames.RETRY_AFTER, "1");

    private TransportErrors() {}

    public static DirectHandlers handlers(int maxBodyBytes, IngestMetrics metrics) {
        DirectHandler handler = (request, eventType, rawStatus, headers, message) -> {
            // A request line Helidon could not even take apart (a method that is not an HTTP token, say)
            // reaches us as an internal error of a request without a method: the client's mistake, a 400.
            Status status = rawStatus == Status.INTERNAL_SERVER_ERROR_500
                            && request.method().isEmpty()
                    ? Status.BAD_REQUEST_400
                    : rawStatus;
            String encoding =
                    request.headers().first(HeaderNames.CONTENT_ENCODING).orElse(null);
            if (status == Status.BAD_REQUEST_400 && encoding != null && !RequestDecoding.supported(encoding)) {
                // Helidon refuses codings it cannot decode before routing; the client should hear why
                metrics.rejected(Rejection.UNSUPPORTED_ENCODING);
                metrics.answeredBeforeRouting(415);
                return answer(
                        Status.UNSUPPORTED_MEDIA_TYPE_415,
                        headers,
                        false,
                        JsonBodies.message("Content-Encoding " + printable(encoding)
                                + " is not supported: use gzip, deflate or identity"));
            }
            // Helidon reports a too-large body as BAD_REQUEST with status 413, so go by the status.
            String text = switch (status.code()) {
                case 413 -> {
                    metrics.rejected(Rejection.TOO_LARGE);
                    ConnectionGuard.lingerBeforeClose();
                    yield "Request body larger than " + maxBodyBytes + " bytes";
                }
                case 400 -> "Bad request: malformed HTTP";
                case 505 -> "HTTP version not supported";
                default -> status.code() >= 500 ? "Internal error" : status.reasonPhrase();
            };
            metrics.answeredBeforeRouting(status.code());
            // after a broken request line or an oversized body the stream cannot be trusted: close
            boolean keepAlive =
                    eventType.keepAlive() && status == rawStatus && status != Status.REQUEST_ENTITY_TOO_LARGE_413;
            return answer(status, headers, keepAlive, JsonBodies.message(text));
        };
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            builder.addHandler(type, handler);
        }
        return builder.build();
    }

    private static DirectHandler.TransportResponse answer(
            Status status, Headers headers, boolean keepAlive, byte[] body) {
        ServerResponseHeaders out = ServerResponseHeaders.create(headers);
        out.set(HeaderValues.CONTENT_TYPE_JSON);
        out.set(Answers.NOSNIFF);
        if (status == Status.SERVICE_UNAVAILABLE_503) {
            out.set(RETRY_AFTER);
        }
        return DirectHandler.TransportResponse.builder()
                .status(status)
                .headers(out)
                .entity(body)
                .keepAlive(keepAlive)
                .build();
    }

    /** The request decoders of the public listener (see {@link RequestDecoding}). */
    public static ContentEncodingContext requestDecoding() {
        return RequestDecoding.context();
    }

    /** A client's header value for our message: printable ASCII only, and short. */
    private static String printable(String value) {
        String cut = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        return "'" + cut.replaceAll("[^\\x20-\\x7E]", "?").replace("'", "?") + "'";
    }
}
