package io.eventsink.service.http.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A chunked answer given back whole with its length, however Helidon's writes split it. */
class ChunkedAnswerTest {

    private static final String HEAD = "HTTP/1.1 200 OK\r\nDate: Mon, 7 Dec 2026 01:00:00 GMT\r\n"
            + "Connection: keep-alive\r\nContent-Type: application/json\r\n";

    /** The answer after {@code written} arrived in pieces of {@code size} bytes; complete only after the last. */
    private static String whole(String written, int size) {
        byte[] bytes = written.getBytes(StandardCharsets.ISO_8859_1);
        ChunkedAnswer answer = new ChunkedAnswer();
        for (int at = 0; at < bytes.length; at += size) {
            assertThat(answer.complete()).as("complete before its end").isFalse();
            answer.add(Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + size)));
        }
        assertThat(answer.complete()).isTrue();
        return new String(answer.withLength(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void chunksAreJoinedUnderAContentLengthTrailersDropped() {
        String written = HEAD + "Transfer-Encoding: chunked\r\nTrailer: stream-result\r\n\r\n" + "5\r\n{\"a\":\r\n"
                + "A;ext=1\r\n1234567890\r\n" + "1\r\n}\r\n" + "0\r\nstream-result: ok\r\n\r\n";
        for (int size = 1; size <= written.length(); size++) {
            assertThat(whole(written, size))
                    .as("written in pieces of %d bytes", size)
                    .isEqualTo(HEAD + "Content-Length: 16\r\n\r\n{\"a\":1234567890}");
        }
    }

    @Test
    void anEmptyBody() {
        assertThat(whole(HEAD + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 7))
                .isEqualTo(HEAD + "Content-Length: 0\r\n\r\n");
    }

    @Test
    void framingThatIsNotChunkingGoesOutAsWritten() {
        String written = HEAD + "Transfer-Encoding: chunked\r\n\r\nnot a size\r\n";
        assertThat(whole(written, written.length())).isEqualTo(written);
    }
}
