package io.eventsink.service.delivery.sqs;

import io.eventsink.service.delivery.WriteFailure;
import io.eventsink.service.delivery.WriteFailure.Kind;
import jakarta.json.Json;
import jakarta.json.stream.JsonParser;
import java.io.ByteArrayInputStream;
import java.util.Map;
import java.util.Set;

/**
 * Reads an SQS error answer (JSON protocol: HTTP status, a body {@code {"__type": "…#Code",
 * "message": "…"}}, and the query-compatible code in {@code x-amzn-query-error}) and says what
 * kind of failure it is.
 */
final class SqsErrors {

    /** The caller may slow down and retry; the queue is up. */
    private static final Set<String> THROTTLING = Set.of(
            "ThrottlingException",
            "RequestThrottled",
            "Throttling",
            "RequestThrottledException",
            "KmsThrottled",
            "KMS.ThrottlingException",
            "SlowDown");
    /** The credentials were stale: refresh them and try again. */
    private static final Set<String> EXPIRED_CREDENTIALS = Set.of(
            "ExpiredToken",
            "ExpiredTokenException",
            "RequestExpired",
            "InvalidClientTokenId",
            "SignatureDoesNotMatch",
            "InvalidSignatureException",
            "IncompleteSignature");

    private SqsErrors() {}

    /** An error answer: its code (the part after '#' of {@code __type}, else the header's), message and kind. */
    record SqsError(int status, String code, String message) {

        Kind kind() {
            if (THROTTLING.contains(code)) {
                return Kind.THROTTLED;
            }
            if (status >= 500 || status == 408) {
                return Kind.UNREACHABLE;
            }
            // QueueDoesNotExist, AccessDenied, KMS key problems, a malformed request: every call would fail alike.
            return Kind.REFUSED;
        }

        boolean expiredCredentials() {
            return EXPIRED_CREDENTIALS.contains(code);
        }

        WriteFailure failure() {
            return new WriteFailure(
                    kind(), "SQS answered " + status + " " + code + (message.isEmpty() ? "" : ": " + message), null);
        }
    }

    static SqsError parse(int status, byte[] body, String queryErrorHeader) {
        String type = null;
        String message = "";
        try (JsonParser p = Json.createParserFactory(Map.of()).createParser(new ByteArrayInputStream(body))) {
            if (p.hasNext() && p.next() == JsonParser.Event.START_OBJECT) {
                while (p.hasNext() && p.next() == JsonParser.Event.KEY_NAME) {
                    String key = p.getString();
                    JsonParser.Event value = p.next();
                    if (value == JsonParser.Event.VALUE_STRING) {
                        if (key.equals("__type") || key.equals("code")) {
                            type = p.getString();
                        } else if (key.equalsIgnoreCase("message")) {
                            message = p.getString();
                        }
                    } else if (value == JsonParser.Event.START_OBJECT) {
                        p.skipObject();
                    } else if (value == JsonParser.Event.START_ARRAY) {
                        p.skipArray();
                    }
                }
            }
        } catch (RuntimeException notJson) {
            // A proxy's HTML page, say: the status and header still say enough.
        }
        String code = type == null ? null : type.substring(type.lastIndexOf('#') + 1);
        if ((code == null || code.isEmpty()) && queryErrorHeader != null && !queryErrorHeader.isEmpty()) {
            int semicolon = queryErrorHeader.indexOf(';');
            code = semicolon < 0 ? queryErrorHeader : queryErrorHeader.substring(0, semicolon);
        }
        if (code == null || code.isEmpty()) {
            code = "HTTP" + status;
        }
        if (message.length() > 300) {
            message = message.substring(0, 300) + "...";
        }
        return new SqsError(status, code, message);
    }
}
