package io.eventsink.service.http.connection;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * One chunked answer as Helidon writes it (head, chunks, last chunk, trailers), collected piece by
 * piece and given back in one piece: the body decoded, a {@code Content-Length} in place of the
 * chunking, trailers dropped. For HTTP/1.0 clients ({@link Http10Answers}); the answers chunked on
 * our ports are small (health), so holding one whole costs little.
 */
final class ChunkedAnswer {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] BLANK_LINE = {'\r', '\n', '\r', '\n'};
    /** A chunk size this service could never write (over 256 MiB): the framing is not what we think. */
    private static final int MAX_SIZE_DIGITS = 7;

    private byte[] bytes = new byte[1024];
    private int length;
    /** Where the body starts, after the head's blank line; -1 until the head is in. */
    private int bodyStart = -1;
    /** Where the next chunk, or the trailer section, starts. */
    private int next;

    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private boolean complete;
    private boolean malformed;

    void add(byte[] piece) {
        if (bytes.length < length + piece.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + piece.length));
        }
        System.arraycopy(piece, 0, bytes, length, piece.length);
        length += piece.length;
        parse();
    }

    /** Whether the answer is in, up to its last chunk's blank line (or its framing was not chunked after all). */
    boolean complete() {
        return complete;
    }

    /** The whole answer with a Content-Length; as it was written when its framing could not be read. */
    byte[] withLength() {
        if (malformed) {
            return Arrays.copyOf(bytes, length);
        }
        StringBuilder head = new StringBuilder(bodyStart + 32);
        // the head without its blank line: status line and header lines, each ending in CRLF
        for (String line : new String(bytes, 0, bodyStart - 2, StandardCharsets.ISO_8859_1).split("\r\n")) {
            String name = line.toLowerCase(Locale.ROOT);
            if (!name.startsWith("transfer-encoding:") && !name.startsWith("trailer:")) {
                head.append(line).append("\r\n");
            }
        }
        head.append("Content-Length: ").append(body.size()).append("\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] answer = Arrays.copyOf(headBytes, headBytes.length + body.size());
        System.arraycopy(body.toByteArray(), 0, answer, headBytes.length, body.size());
        return answer;
    }

    private void parse() {
        if (bodyStart < 0) {
            int end = Http10Requests.indexOf(bytes, length, 0, BLANK_LINE);
            if (end < 0) {
                return;
            }
            bodyStart = end + 4;
            next = bodyStart;
        }
        while (!complete) {
            int eol = Http10Requests.indexOf(bytes, length, next, CRLF);
            if (eol < 0) {
                return;
            }
            int size = chunkSize(next, eol);
            if (size < 0) {
                malformed = true;
                complete = true;
                return;
            }
            if (size == 0) {
                // the trailer section ends with a blank line
                for (int line = eol + 2; ; ) {
                    int end = Http10Requests.indexOf(bytes, length, line, CRLF);
                    if (end < 0) {
                        return;
                    }
                    if (end == line) {
                        complete = true;
                        return;
                    }
                    line = end + 2;
                }
            }
            int dataEnd = eol + 2 + size;
            if (length < dataEnd + 2) {
                return;
            }
            body.write(bytes, eol + 2, size);
            next = dataEnd + 2;
        }
    }

    /** The hexadecimal size at the start of a chunk line (before any extension); -1 if there is none. */
    private int chunkSize(int from, int eol) {
        int size = 0;
        int digits = 0;
        for (int i = from; i < eol && bytes[i] != ';'; i++, digits++) {
            int digit = Character.digit(bytes[i], 16);
            if (digit < 0 || digits == MAX_SIZE_DIGITS) {
                return -1;
            }
            size = size * 16 + digit;
        }
        return digits == 0 ? -1 : size;
    }
}
