package io.eventsink.service.http;

import io.eventsink.service.http.ingest.Rejection;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerRequest;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.ZipException;

/**
 * Reads a request body within a byte limit (after decompression), and says plainly what went
 * wrong otherwise: too large (the rest is not read), cut short, or a broken compressed stream.
 */
final class RequestBodies {

    /** A body read in full, or why not. */
    sealed interface Body permits Read, Refused {}

    record Read(byte[] bytes) implements Body {}

    record Refused(Rejection rejection, String error) implements Body {}

    private RequestBodies() {}

    static Body read(ServerRequest req, int limit) {
        if (req.headers().contentLength().orElse(0) > limit) {
            return tooLarge(limit);
        }
        if (!req.content().hasEntity()) {
            return new Read(new byte[0]);
        }
        boolean compressed = req.headers().contains(HeaderNames.CONTENT_ENCODING)
                && !req.headers().get(HeaderNames.CONTENT_ENCODING).get().trim().equalsIgnoreCase("identity");
        long declared = req.headers().contentLength().orElse(-1);
        try (InputStream in = req.content().inputStream()) {
            byte[] body = compressed || declared < 0 ? readGrowing(in, limit + 1) : in.readNBytes((int) declared);
            return body.length > limit ? tooLarge(limit) : new Read(body);
        } catch (CloseConnectionException e) {
            // a deadline passed while the body was arriving: the guard answers and closes, not us
            throw e;
        } catch (RequestException e) {
            // Helidon enforces the payload limit on chunked bodies while we read them.
            return e.status() == Status.REQUEST_ENTITY_TOO_LARGE_413 ? tooLarge(limit) : cutShort(compressed);
        } catch (HttpException e) {
            // ... and on the decoded size of compressed ones (a compression bomb stops here).
            return e.status() == Status.REQUEST_ENTITY_TOO_LARGE_413 ? tooLarge(limit) : cutShort(compressed);
        } catch (ZipException | EOFException e) {
            return compressed
                    ? new Refused(
                            Rejection.UNREADABLE_BODY,
                            "body: not a valid "
                                    + req.headers()
                                            .get(HeaderNames.CONTENT_ENCODING)
                                            .get()
                                            .trim() + " stream (corrupt or truncated)")
                    : cutShort(false);
        } catch (IOException | RuntimeException e) {
            // The client's framing is broken or it stopped sending (a body shorter than its
            // Content-Length, a bad or missing chunk): its mistake, answered 400, not a 500.
            return cutShort(compressed);
        }
    }

    /**
     * Reads up to {@code max} bytes into a buffer that grows with what arrives: a client that
     * declares nothing and stalls holds a few hundred bytes, not a read-ahead chunk.
     */
    private static byte[] readGrowing(InputStream in, int max) throws IOException {
        byte[] buf = new byte[Math.min(max, 512)];
        int n = 0;
        while (n < max) {
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, Math.min(max, buf.length * 2));
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n == buf.length ? buf : Arrays.copyOf(buf, n);
    }

    private static Refused tooLarge(int limit) {
        return new Refused(Rejection.TOO_LARGE, "body: larger than " + limit + " bytes");
    }

    private static Refused cutShort(boolean compressed) {
        return new Refused(
                Rejection.UNREADABLE_BODY,
                compressed
                        ? "body: could not be read to its end (truncated, or a corrupt compressed stream)"
                        : "body: could not be read to its end (truncated, or broken chunked framing)");
    }
}
