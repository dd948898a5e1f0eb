package io.eventsink.service.http;

import io.helidon.http.encoding.ContentDecoder;
import io.helidon.http.encoding.ContentEncoder;
import io.helidon.http.encoding.ContentEncoding;
import io.helidon.http.encoding.ContentEncodingContext;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Compressed request bodies: {@code Content-Encoding: gzip} (or {@code x-gzip}), {@code deflate}
 * (zlib, as HTTP means it, or raw deflate, as some clients send it) and {@code identity}.
 * Decoding only: answers are never compressed (they are a few dozen bytes). The decoded size is
 * bounded by whoever reads the stream ({@link RequestBodies} stops at MAX_BODY_BYTES), so a small
 * body that inflates to gigabytes costs no more memory than the limit.
 */
final class RequestDecoding {

    /** The codings we decode, lower case. */
    static final Set<String> SUPPORTED = Set.of("gzip", "x-gzip", "deflate", "identity");

    private RequestDecoding() {}

    /** Helidon's content-encoding context for the public listener: these decoders, no encoders. */
    static ContentEncodingContext context() {
        return ContentEncodingContext.builder()
                .contentEncodingsDiscoverServices(false)
                // Helidon looks codings up as written, but they are case-insensitive: the spellings seen in the wild
                .addContentEncoding(new DecodingOnly("gzip", spellings("gzip", "x-gzip"), RequestDecoding::gunzip))
                .addContentEncoding(new DecodingOnly("deflate", spellings("deflate"), RequestDecoding::inflate))
                .addContentEncoding(new DecodingOnly("identity", spellings("identity"), in -> in))
                .build();
    }

    private static Set<String> spellings(String... codings) {
        Set<String> all = new HashSet<>();
        for (String c : codings) {
            all.add(c);
            all.add(c.toUpperCase(Locale.ROOT));
            all.add(Character.toUpperCase(c.charAt(0)) + c.substring(1));
        }
        return Set.copyOf(all);
    }

    /** Whether a Content-Encoding header value names one coding we decode. */
    static boolean supported(String contentEncoding) {
        return SUPPORTED.contains(contentEncoding.trim().toLowerCase(Locale.ROOT));
    }

    private static InputStream gunzip(InputStream in) {
        // GZIPInputStream reads the header in its constructor: defer that to the first read, where
        // a broken stream is an IOException the body reader turns into a 400.
        return new Lazy(() -> {
            try {
                return new GZIPInputStream(in, 8192);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static InputStream inflate(InputStream in) {
        return new Lazy(() -> {
            try {
                PushbackInputStream peek = new PushbackInputStream(in, 2);
                int cmf = peek.read();
                int flg = peek.read();
                if (flg >= 0) {
                    peek.unread(flg);
                }
                if (cmf >= 0) {
                    peek.unread(cmf);
                }
                boolean zlib = cmf >= 0 && flg >= 0 && (cmf & 0x0F) == 8 && (cmf * 256 + flg) % 31 == 0;
                return zlib ? new InflaterInputStream(peek) : new RawInflaterStream(peek);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Raw deflate; ends its inflater on close (InflaterInputStream only does that for its own). */
    private static final class RawInflaterStream extends InflaterInputStream {
        RawInflaterStream(InputStream in) {
            super(in, new Inflater(true));
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                inf.end();
            }
        }
    }

    /** Opens the decoding stream on first use. */
    private static final class Lazy extends FilterInputStream {
        private final Supplier<InputStream> open;
        private boolean opened;

        Lazy(Supplier<InputStream> open) {
            super(null);
            this.open = open;
        }

        private InputStream stream() throws IOException {
            if (!opened) {
                opened = true;
                try {
                    in = open.get();
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
            }
            return in;
        }

        @Override
        public int read() throws IOException {
            return stream().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return stream().read(b, off, len);
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
            }
        }
    }

    private record DecodingOnly(String name, Set<String> ids, UnaryOperator<InputStream> decode)
            implements ContentEncoding {

        @Override
        public boolean supportsEncoding() {
            return false;
        }

        @Override
        public boolean supportsDecoding() {
            return true;
        }

        @Override
        public ContentDecoder decoder() {
            return decode::apply;
        }

        @Override
        public ContentEncoder encoder() {
            throw new UnsupportedOperationException("answers are not compressed");
        }

        @Override
        public String type() {
            return name;
        }
    }
}
