package io.eventsink.service.delivery.format;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * A packed body compressed: base64 (standard alphabet, padded, one line) of a gzip stream, since an
 * SQS body may hold only XML characters.
 */
public final class GzipBase64 {

    /** Fast compression: packs are small and the CPU is the pod's; the higher levels gain a few percent. */
    static final int LEVEL = Deflater.BEST_SPEED;

    private GzipBase64() {}

    public static String encode(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(utf8.length / 4 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 8192) {
            {
                def.setLevel(LEVEL);
            }
        }) {
            gzip.write(utf8);
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory gzip cannot fail", e);
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }
}
