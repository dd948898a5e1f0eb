package io.eventsink.service.http.connection;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Hands Helidon's HTTP/1 parser, which refuses HTTP/1.0 with 505, the HTTP/1.1 request each
 * HTTP/1.0 request means. One per connection, between the socket and Helidon's reader; runs on the
 * connection's thread.
 *
 * <p>A connection's first request line decides. Anything but {@code HTTP/1.0} (an HTTP/1.1 client)
 * and every byte goes through untouched from then on, at the cost of one look at that line. An
 * HTTP/1.0 connection has each request head rewritten before Helidon reads it:
 *
 * <ul>
 *   <li>the version becomes {@code HTTP/1.1} (the answers say {@code HTTP/1.1}, which is what a
 *       1.1 server sends a 1.0 client, RFC 9110 section 6.2);
 *   <li>a request without {@code Host} (optional in 1.0) is given the address it came in on;
 *   <li>a request without {@code Connection: keep-alive} gets {@code Connection: close}: 1.0
 *       connections close after each answer unless the client asked otherwise;
 *   <li>{@code Expect} is dropped: a 1.0 client must not be sent {@code 100 Continue} (RFC 9110
 *       section 10.1.1).
 * </ul>
 *
 * <p>Where a body ends is told by its {@code Content-Length}: after a kept-alive request's body the
 * next head follows. After a closing request's body, or once its answer is being written, or an
 * answer says {@code Connection: close} ({@link #answering(boolean)}), the connection reads nothing
 * more, so Helidon closes it once the answer is out (it would otherwise wait for the client to hang
 * up). A body of other framing (a {@code Transfer-Encoding}, which 1.0 does not have, or a length
 * Helidon will refuse) is left to Helidon, and the connection closes after its answer.
 */
final class Http10Requests implements Supplier<byte[]> {

    /** Helidon's default limits on a request line and a header section: a longer head goes on for Helidon to refuse. */
    private static final int MAX_LINE_BYTES = 4096;

    private static final int MAX_HEAD_BYTES = MAX_LINE_BYTES + 16384;
    private static final String HTTP_10 = " HTTP/1.0";
    private static final byte[] NONE = new byte[0];

    private enum Mode {
        /** The connection's first request line is arriving: it decides the version. */
        FIRST_LINE,
        /** An HTTP/1.0 connection: a request head is arriving. */
        HEAD,
        /** A body of known length is going through. */
        BODY,
        /** Everything goes through untouched: an HTTP/1.1 connection, or a body whose end we do not know. */
        PASS,
        /** A closing request was read in full: nothing more is read. */
        END
    }

    private final Supplier<byte[]> socket;
    private final Supplier<String> localHost;
    private Mode mode = Mode.FIRST_LINE;
    private boolean http10;
    /** What arrived of the current head (or first line), not handed on yet. */
    private byte[] head = NONE;

    private int headLength;
    /** How far the head has been searched for its end. */
    private int scanned;
    /** Bytes that arrived after the last head or body, to be read before the socket. */
    private byte[] unread;

    private long bodyLeft;
    private Mode afterBody;
    /** Whether the request last handed on closes the connection after its answer. */
    private boolean closing;

    /**
     * @param socket the bytes as they arrive from the socket (null: the client hung up)
     * @param localHost the {@code Host} for a 1.0 request without one
     */
    Http10Requests(Supplier<byte[]> socket, Supplier<String> localHost) {
        this.socket = socket;
        this.localHost = localHost;
    }

    /** Whether this connection's client speaks HTTP/1.0. */
    boolean http10() {
        return http10;
    }

    /** An HTTP/1.1 request head was read; whether it asks to close the connection after its answer. */
    void requestHead(boolean closes) {
        if (!http10) {
            closing = closes;
        }
    }

    /**
     * An answer is about to be written. When it or its request closes the connection (Helidon says
     * so but would wait for the client to hang up), nothing more is read, so that Helidon closes
     * the connection once the answer is out.
     */
    void answering(boolean answerCloses) {
        if (answerCloses || closing) {
            mode = Mode.END;
            unread = null;
        }
    }

    @Override
    public byte[] get() {
        while (true) {
            switch (mode) {
                case PASS -> {
                    return next();
                }
                case END -> {
                    return null;
                }
                case BODY -> {
                    return body();
                }
                case FIRST_LINE -> {
                    int lf = indexOf(head, headLength, scanned, (byte) '\n');
                    scanned = headLength;
                    if (lf >= 0) {
                        if (!endsWith(head, lf, HTTP_10 + "\r")) {
                            mode = Mode.PASS;
                            return takeHead();
                        }
                        http10 = true;
                        mode = Mode.HEAD;
                        scanned = 0;
                    } else if (headLength > MAX_LINE_BYTES || !append(next())) {
                        mode = Mode.PASS;
                        return takeHead();
                    }
                }
                case HEAD -> {
                    int end = indexOf(head, headLength, scanned, (byte) '\r', (byte) '\n', (byte) '\r', (byte) '\n');
                    // a head arriving in many small pieces is searched once, not once per piece
                    scanned = Math.max(0, headLength - 3);
                    if (end >= 0) {
                        return rewriteHead(end + 4);
                    }
                    if (headLength > MAX_HEAD_BYTES || !append(next())) {
                        // too long (Helidon refuses it: as HTTP/1.1, not with a 505), or the client hung up
                        patchVersion();
                        mode = Mode.PASS;
                        return takeHead();
                    }
                }
            }
        }
    }

    /** The next bytes of the body; what arrived after its end waits for the next head. */
    private byte[] body() {
        byte[] bytes = next();
        if (bytes == null) {
            return null;
        }
        if (bytes.length < bodyLeft) {
            bodyLeft -= bytes.length;
            return bytes;
        }
        int end = (int) bodyLeft;
        bodyLeft = 0;
        mode = afterBody;
        if (end == bytes.length) {
            return bytes;
        }
        unread = Arrays.copyOfRange(bytes, end, bytes.length);
        return Arrays.copyOf(bytes, end);
    }

    /** The head of {@code length} bytes rewritten as HTTP/1.1; sets what comes after it. */
    private byte[] rewriteHead(int length) {
        if (length < headLength) {
            unread = Arrays.copyOfRange(head, length, headLength);
        }
        Http10Head rewritten = Http10Head.of(new String(head, 0, length - 4, StandardCharsets.ISO_8859_1), localHost);
        headLength = 0;
        scanned = 0;
        closing = !rewritten.persistent();
        if (!rewritten.framed()) {
            mode = Mode.PASS;
        } else {
            afterBody = rewritten.persistent() ? Mode.HEAD : Mode.END;
            bodyLeft = rewritten.bodyLength();
            mode = bodyLeft > 0 ? Mode.BODY : afterBody;
        }
        return rewritten.bytes();
    }

    /** Bytes that arrived earlier and were not handed on, else the socket's next. */
    private byte[] next() {
        byte[] bytes = unread;
        if (bytes != null) {
            unread = null;
            return bytes;
        }
        return socket.get();
    }

    /** Adds to the head; false when the client hung up. */
    private boolean append(byte[] bytes) {
        if (bytes == null) {
            return false;
        }
        if (headLength == 0) {
            head = bytes; // most heads arrive in one read: no copy
        } else {
            if (head.length < headLength + bytes.length) {
                head = Arrays.copyOf(head, Math.max(head.length + head.length / 2, headLength + bytes.length));
            }
            System.arraycopy(bytes, 0, head, headLength, bytes.length);
        }
        headLength += bytes.length;
        return true;
    }

    /** What arrived of the head, as it came (null when nothing did: the client hung up). */
    private byte[] takeHead() {
        byte[] bytes = headLength == 0 ? null : headLength == head.length ? head : Arrays.copyOf(head, headLength);
        head = NONE;
        headLength = 0;
        scanned = 0;
        return bytes;
    }

    /** An HTTP/1.0 request line in the head made HTTP/1.1 in place (the same length). */
    private void patchVersion() {
        int lf = indexOf(head, headLength, 0, (byte) '\n');
        if (lf >= 0 && endsWith(head, lf, HTTP_10 + "\r")) {
            head[lf - 2] = '1';
        }
    }

    private static boolean endsWith(byte[] bytes, int end, String suffix) {
        int start = end - suffix.length();
        if (start < 0) {
            return false;
        }
        for (int i = 0; i < suffix.length(); i++) {
            if (bytes[start + i] != suffix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Where {@code pattern} starts in the first {@code length} bytes, from {@code from}; -1 if nowhere. */
    static int indexOf(byte[] bytes, int length, int from, byte... pattern) {
        outer:
        for (int i = from; i <= length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (bytes[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
