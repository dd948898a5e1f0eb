package io.eventsink.service.http.connection;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * One request head as HTTP/1.1 means it ({@link Http10Requests}): an HTTP/1.0 request line made
 * 1.1, a missing {@code Host} given the address the request came in on, {@code Expect} dropped, and
 * {@code Connection: close} added unless the client asked to keep the connection; with what the
 * head says of the connection and the body.
 *
 * @param bytes      the head to hand Helidon, ending in its blank line
 * @param persistent whether the connection stays open after the answer
 * @param framed     whether the body's end is told by one valid {@code Content-Length} (else Helidon frames it)
 * @param bodyLength the body's length when framed (0 for none)
 */
record Http10Head(byte[] bytes, boolean persistent, boolean framed, long bodyLength) {

    private static final String HTTP_10 = " HTTP/1.0";

    /** @param head the head's text up to, not including, its blank line */
    static Http10Head of(String head, Supplier<String> localHost) {
        String[] lines = head.split("\r\n", -1);
        String requestLine = lines[0];
        boolean from10 = requestLine.endsWith(HTTP_10);
        StringBuilder out = new StringBuilder(head.length() + 64);
        out.append(requestLine, 0, requestLine.length() - (from10 ? 1 : 0))
                .append(from10 ? "1" : "")
                .append("\r\n");
        boolean host = false;
        boolean keepAlive = !from10;
        boolean close = false;
        boolean framed = true;
        long contentLength = -1;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            String name = colon < 0 ? "" : line.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = colon < 0 ? "" : line.substring(colon + 1).trim();
            switch (name) {
                case "expect" -> {
                    if (from10) {
                        continue;
                    }
                }
                case "host" -> host = true;
                case "connection" -> {
                    keepAlive |= hasToken(value, "keep-alive");
                    close |= hasToken(value, "close");
                }
                case "transfer-encoding" -> framed = false;
                case "content-length" -> {
                    long declared = length(value);
                    framed &= declared >= 0 && (contentLength < 0 || contentLength == declared);
                    contentLength = declared;
                }
                default -> {
                    // passed on as sent
                }
            }
            out.append(line).append("\r\n");
        }
        if (from10 && !host) {
            out.append("Host: ").append(localHost.get()).append("\r\n");
        }
        boolean persistent = keepAlive && !close && framed;
        if (!persistent && !close) {
            out.append("Connection: close\r\n");
        }
        out.append("\r\n");
        return new Http10Head(
                out.toString().getBytes(StandardCharsets.ISO_8859_1), persistent, framed, Math.max(contentLength, 0));
    }

    /** A Content-Length's value, or -1 when it is not one (Helidon refuses it). */
    private static long length(String value) {
        if (value.isEmpty() || value.length() > 18) {
            return -1;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(value);
    }

    private static boolean hasToken(String value, String token) {
        for (String t : value.split(",")) {
            if (t.trim().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }
}
