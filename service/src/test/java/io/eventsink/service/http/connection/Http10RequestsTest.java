package io.eventsink.service.http.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * What Helidon's parser is handed for what a client sent, however the socket splits the bytes:
 * every split from one byte at a time to all at once must give the same.
 */
class Http10RequestsTest {

    private static final String LOCAL = "10.0.0.1:3000";

    /** Everything handed on when {@code sent} arrives in pieces of {@code size} bytes, up to the end of the stream. */
    private static String handedOn(String sent, int size) {
        Http10Requests requests = over(sent, size);
        StringBuilder out = new StringBuilder();
        for (byte[] b = requests.get(); b != null; b = requests.get()) {
            assertThat(b).as("never an empty read").isNotEmpty();
            out.append(new String(b, StandardCharsets.ISO_8859_1));
        }
        return out.toString();
    }

    private static Http10Requests over(String sent, int size) {
        byte[] bytes = sent.getBytes(StandardCharsets.ISO_8859_1);
        int[] at = {0};
        return new Http10Requests(
                () -> {
                    if (at[0] == bytes.length) {
                        return null;
                    }
                    int end = Math.min(bytes.length, at[0] + size);
                    byte[] piece = Arrays.copyOfRange(bytes, at[0], end);
                    at[0] = end;
                    return piece;
                },
                () -> LOCAL);
    }

    private static String read(Http10Requests requests) {
        byte[] bytes = requests.get();
        return bytes == null ? null : new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static void assertHandedOnInAnySplit(String sent, String expected) {
        for (int size = 1; size <= sent.length(); size++) {
            assertThat(handedOn(sent, size)).as("in pieces of %d bytes", size).isEqualTo(expected);
        }
    }

    @Test
    void anHttp11ConnectionGoesThroughUntouched() {
        String sent = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n{}" + "GET / HTTP/1.0\r\n\r\n";
        assertHandedOnInAnySplit(sent, sent);
    }

    @Test
    void eachHeadOfAnHttp10ConnectionIsMadeHttp11() {
        String sent = "POST / HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\n{}"
                + "GET /a HTTP/1.0\r\nHost: sink\r\nExpect: 100-continue\r\nConnection: TE, Keep-Alive\r\n\r\n"
                + "POST / HTTP/1.0\r\ncontent-length: 3\r\n\r\n[1]"
                // after a request that closes the connection, nothing more is read
                + "GET /never HTTP/1.0\r\n\r\n";
        assertHandedOnInAnySplit(
                sent,
                "POST / HTTP/1.1\r\nConnection: keep-alive\r\nContent-Length: 2\r\nHost: " + LOCAL + "\r\n\r\n{}"
                        + "GET /a HTTP/1.1\r\nHost: sink\r\nConnection: TE, Keep-Alive\r\n\r\n"
                        + "POST / HTTP/1.1\r\ncontent-length: 3\r\nHost: " + LOCAL
                        + "\r\nConnection: close\r\n\r\n[1]");
    }

    @Test
    void aBodyWhoseEndIsNotKnownEndsTheRewritingAndTheConnection() {
        String chunked = "POST / HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n";
        String rest = "2\r\n{}\r\n0\r\n\r\nGET / HTTP/1.0\r\n\r\n";
        assertHandedOnInAnySplit(
                chunked + rest,
                "POST / HTTP/1.1\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\nHost: " + LOCAL
                        + "\r\nConnection: close\r\n\r\n" + rest);
        String twoLengths = "POST / HTTP/1.0\r\nHost: h\r\nConnection: keep-alive\r\nContent-Length: 2\r\n"
                + "Content-Length: 3\r\n\r\n";
        assertHandedOnInAnySplit(
                twoLengths + "{}x",
                twoLengths.replace("HTTP/1.0", "HTTP/1.1").replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n")
                        + "{}x");
    }

    @Test
    void nothingIsReadOnceAnAnswerClosesTheConnection() {
        String next = "GET /next HTTP/1.0\r\n\r\n";
        String kept = "GET / HTTP/1.0\r\nHost: h\r\nConnection: keep-alive\r\n\r\n";
        Http10Requests keptOpen = over(kept + next, 1000);
        assertThat(read(keptOpen)).isEqualTo(kept.replace("1.0", "1.1"));
        keptOpen.answering(false);
        assertThat(read(keptOpen)).startsWith("GET /next HTTP/1.1\r\n");

        Http10Requests closedByAnswer = over(kept + next, 1000);
        read(closedByAnswer);
        closedByAnswer.answering(true);
        assertThat(read(closedByAnswer)).isNull();

        // a chunked body's end is not looked for: the connection ends once its answer is written
        Http10Requests chunked = over("POST / HTTP/1.0\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", 1000);
        read(chunked);
        chunked.answering(false);
        assertThat(read(chunked)).isNull();
    }

    @Test
    void aHeadTooLongGoesOnAsItCameButForItsVersion() {
        String tail = "X-Big: " + "b".repeat(30_000) + "\r\n\r\n";
        assertThat(handedOn("GET / HTTP/1.0\r\n" + tail, 8192)).isEqualTo("GET / HTTP/1.1\r\n" + tail);
    }

    @Test
    void aClientThatHangsUpMidHeadEndsTheStream() {
        assertHandedOnInAnySplit("POST / HTTP/1.0\r\nHo", "POST / HTTP/1.1\r\nHo");
        assertHandedOnInAnySplit("POST / HT", "POST / HT");
        assertThat(handedOn("", 1)).isEmpty();
    }
}
