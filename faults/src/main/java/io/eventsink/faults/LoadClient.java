package io.eventsink.faults;

import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Closed-loop HTTP/1.1 load against {@code POST /}: {@code connections} virtual threads, each with
 * its own keep-alive socket, each sending one fresh EPAS event after the other for
 * {@code duration}. Every event carries a unique {@code sessionId}; each one answered {@code 200}
 * is written to {@code <out>/acked.txt}. A failed event (503/429/connection error) may be re-sent
 * with the same id up to {@code retries} times, as a player would. With {@code paceMs} each
 * connection starts at most one event per {@code paceMs} (an open-loop rate, as players send on
 * their own clock) instead of sending the next as soon as the last was answered.
 *
 * <p>Raw sockets rather than {@code HttpClient}: every connection is exactly one TCP connection, and
 * a refused, reset or timed-out connection is counted as what it is.
 *
 * <pre>
 * java io.eventsink.faults.LoadClient url=http://127.0.0.1:23000/ connections=32 durationMs=10000 \
 *      prefix=k9 out=/tmp/run retries=3 timeoutMs=10000 retryPauseMs=100 refusalPauseMs=0 [paceMs=0] [stopFile=/tmp/stop]
 * </pre>
 * Writes {@code acked.txt} (one id per line), {@code sent.txt} (every id tried),
 * {@code client.properties} (counts and latency percentiles) and {@code timeline.txt} (per second
 * of the run: requests started, answered {@code 200}, slowest {@code 200} in ms).
 */
public final class LoadClient {

    private final String host;
    private final int port;
    private final int connections;
    private final long durationNanos;
    private final String prefix;
    private final int retries;
    private final int timeoutMs;
    private final long retryPauseMs;
    private final long refusalPauseMs;
    private final long paceNanos;
    private final Path stopFile;
    private volatile boolean stopRequested;

    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final LongAdder requests = new LongAdder();
    private final LongAdder events = new LongAdder();
    private final LongAdder acked = new LongAdder();
    private final LongAdder refusalsWithoutRetryAfter = new LongAdder();
    private final ConcurrentLinkedQueue<String> ackedIds = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> sentIds = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<long[]> okLatencies = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<long[]> refusedLatencies = new ConcurrentLinkedQueue<>();
    private static final int TIMELINE_SECONDS = 3600;
    private final AtomicLongArray startedBySecond = new AtomicLongArray(TIMELINE_SECONDS);
    private final AtomicLongArray okBySecond = new AtomicLongArray(TIMELINE_SECONDS);
    private final AtomicLongArray okMaxMicrosBySecond = new AtomicLongArray(TIMELINE_SECONDS);
    private final long startNanos = System.nanoTime();

    private LoadClient(Map<String, String> args) {
        java.net.URI url = java.net.URI.create(args.getOrDefault("url", "http://127.0.0.1:23000/"));
        this.host = url.getHost();
        this.port = url.getPort();
        this.connections = Integer.parseInt(args.getOrDefault("connections", "32"));
        this.durationNanos = Long.parseLong(args.getOrDefault("durationMs", "10000")) * 1_000_000L;
        this.prefix = args.getOrDefault("prefix", "ev");
        this.retries = Integer.parseInt(args.getOrDefault("retries", "0"));
        this.timeoutMs = Integer.parseInt(args.getOrDefault("timeoutMs", "10000"));
        this.retryPauseMs = Long.parseLong(args.getOrDefault("retryPauseMs", "100"));
        this.refusalPauseMs = Long.parseLong(args.getOrDefault("refusalPauseMs", "0"));
        this.paceNanos = Long.parseLong(args.getOrDefault("paceMs", "0")) * 1_000_000L;
        this.stopFile = args.containsKey("stopFile") ? Path.of(args.get("stopFile")) : null;
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = Args.parse(argv);
        Path out = Path.of(args.getOrDefault("out", "."));
        Files.createDirectories(out);
        LoadClient client = new LoadClient(args);
        long started = System.nanoTime();
        client.run();
        double seconds = (System.nanoTime() - started) / 1e9;
        client.write(out, seconds);
    }

    private void run() throws InterruptedException {
        long end = System.nanoTime() + durationNanos;
        if (stopFile != null) {
            // The scripts end the load early (e.g. some seconds after a fault healed) by creating this file.
            Thread.ofPlatform().daemon().start(() -> {
                while (System.nanoTime() < end && !Files.exists(stopFile)) {
                    LockSupport.parkNanos(50_000_000L);
                }
                stopRequested = true;
            });
        }
        List<Thread> threads = new ArrayList<>(connections);
        for (int c = 0; c < connections; c++) {
            int index = c;
            threads.add(Thread.ofVirtual().name("load-" + c).start(() -> connectionLoop(index, end)));
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private void connectionLoop(int index, long end) {
        Connection conn = null;
        LongList ok = new LongList();
        LongList refused = new LongList();
        long seq = 0;
        // Paced connections start at a random point of their period, so they do not send in step.
        long nextEvent = System.nanoTime()
                + (paceNanos > 0
                        ? java.util.concurrent.ThreadLocalRandom.current().nextLong(paceNanos)
                        : 0);
        try {
            while (System.nanoTime() < end && !stopRequested) {
                if (paceNanos > 0) {
                    long wait = nextEvent - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                        if (System.nanoTime() >= end || stopRequested) {
                            break;
                        }
                    }
                    nextEvent = Math.max(nextEvent + paceNanos, System.nanoTime());
                }
                String id = prefix + "-" + index + "-" + seq;
                byte[] body = EventBodies.event(id, seq).getBytes(StandardCharsets.UTF_8);
                seq++;
                events.increment();
                sentIds.add(id);
                for (int attempt = 0; attempt <= retries; attempt++) {
                    if (attempt > 0 && (System.nanoTime() >= end || stopRequested)) {
                        break;
                    }
                    requests.increment();
                    long t0 = System.nanoTime();
                    int second = (int) Math.min(TIMELINE_SECONDS - 1, (t0 - startNanos) / 1_000_000_000L);
                    startedBySecond.incrementAndGet(second);
                    String outcome;
                    String retryAfter = null;
                    try {
                        if (conn == null) {
                            conn = new Connection(host, port, timeoutMs);
                        }
                        Response r = conn.post(body);
                        outcome = Integer.toString(r.status);
                        retryAfter = r.retryAfter;
                        if (r.close) {
                            conn.close();
                            conn = null;
                        }
                    } catch (ConnectException e) {
                        outcome = "refused";
                    } catch (ConnectTimeout e) {
                        outcome = "connect-timeout";
                    } catch (SocketTimeoutException e) {
                        outcome = "timeout";
                    } catch (IOException e) {
                        outcome = "reset";
                    }
                    long micros = (System.nanoTime() - t0) / 1000;
                    count(outcome);
                    if (outcome.equals("200")) {
                        ok.add(micros);
                        okBySecond.incrementAndGet(second);
                        okMaxMicrosBySecond.accumulateAndGet(second, micros, Math::max);
                        acked.increment();
                        ackedIds.add(id);
                        break;
                    }
                    if (outcome.equals("503") || outcome.equals("429")) {
                        refused.add(micros);
                        if (retryAfter == null) {
                            refusalsWithoutRetryAfter.increment();
                        }
                    }
                    if (conn != null && !outcome.chars().allMatch(Character::isDigit)) {
                        conn.close();
                        conn = null;
                    }
                    if (!outcome.equals("503")
                            && !outcome.equals("429")
                            && outcome.chars().allMatch(Character::isDigit)) {
                        break; // a 4xx/other answer: re-sending the same body would not help
                    }
                    if (conn == null) {
                        // The service is down or dropped us: do not spin on connect.
                        LockSupport.parkNanos(50_000_000L);
                    } else if (attempt < retries) {
                        LockSupport.parkNanos(retryPauseMs * 1_000_000L);
                    } else if (refusalPauseMs > 0) {
                        // Refused for good: a player would wait (Retry-After) before its next event;
                        // players are not synchronised, so the pause is jittered (0.5x to 1.5x).
                        LockSupport.parkNanos((long) (refusalPauseMs
                                * 1_000_000L
                                * (0.5
                                        + java.util.concurrent.ThreadLocalRandom.current()
                                                .nextDouble())));
                    }
                }
            }
        } finally {
            if (conn != null) {
                conn.close();
            }
            okLatencies.add(ok.toArray());
            refusedLatencies.add(refused.toArray());
        }
    }

    private void count(String outcome) {
        outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
    }

    private void write(Path out, double seconds) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(out.resolve("acked.txt"))) {
            for (String id : ackedIds) {
                w.write(id);
                w.newLine();
            }
        }
        try (BufferedWriter w = Files.newBufferedWriter(out.resolve("sent.txt"))) {
            for (String id : sentIds) {
                w.write(id);
                w.newLine();
            }
        }
        try (BufferedWriter w = Files.newBufferedWriter(out.resolve("timeline.txt"))) {
            for (int sec = 0; sec < Math.min(TIMELINE_SECONDS, (int) Math.ceil(seconds)); sec++) {
                w.write(sec + " " + startedBySecond.get(sec) + " " + okBySecond.get(sec) + " "
                        + ms(okBySecond.get(sec) == 0 ? -1 : okMaxMicrosBySecond.get(sec)));
                w.newLine();
            }
        }
        long[] ok = merge(okLatencies);
        long[] refused = merge(refusedLatencies);
        Map<String, String> p = new TreeMap<>();
        p.put("connections", Integer.toString(connections));
        p.put("paceMs", Long.toString(paceNanos / 1_000_000L));
        p.put("seconds", String.format(Locale.ROOT, "%.1f", seconds));
        p.put("events", Long.toString(events.sum()));
        p.put("requests", Long.toString(requests.sum()));
        p.put("acked", Long.toString(acked.sum()));
        p.put("ackedPerSecond", String.format(Locale.ROOT, "%.0f", acked.sum() / seconds));
        p.put("okP50Ms", ms(percentile(ok, 0.50)));
        p.put("okP99Ms", ms(percentile(ok, 0.99)));
        p.put("okMaxMs", ms(ok.length == 0 ? -1 : ok[ok.length - 1]));
        p.put("refusedP50Ms", ms(percentile(refused, 0.50)));
        p.put("refusedP99Ms", ms(percentile(refused, 0.99)));
        p.put("refusedWithoutRetryAfter", Long.toString(refusalsWithoutRetryAfter.sum()));
        outcomes.forEach((k, v) -> p.put("outcome." + k, Long.toString(v.sum())));
        StringBuilder sb = new StringBuilder();
        p.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        Files.writeString(out.resolve("client.properties"), sb.toString());
        System.out.print(sb);
    }

    private static String ms(long micros) {
        return micros < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", micros / 1000.0);
    }

    private static long[] merge(ConcurrentLinkedQueue<long[]> parts) {
        long[] all = parts.stream().flatMapToLong(Arrays::stream).toArray();
        Arrays.sort(all);
        return all;
    }

    private static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return -1;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** An HTTP answer: status, whether the server closes the connection, its Retry-After. */
    record Response(int status, boolean close, String retryAfter) {}

    /** The TCP connection was not accepted in time (e.g. a full accept backlog). */
    static final class ConnectTimeout extends IOException {
        ConnectTimeout() {
            super("connect timed out");
        }
    }

    /** One keep-alive HTTP/1.1 connection. */
    static final class Connection {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final String hostHeader;

        Connection(String host, int port, int timeoutMs) throws IOException {
            socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(host, port), Math.min(timeoutMs, 3000));
                socket.setSoTimeout(timeoutMs);
                socket.setTcpNoDelay(true);
            } catch (SocketTimeoutException e) {
                socket.close();
                throw new ConnectTimeout();
            } catch (IOException e) {
                socket.close();
                throw e;
            }
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 4096);
            hostHeader = host + ":" + port;
        }

        Response post(byte[] body) throws IOException {
            String head = "POST / HTTP/1.1\r\nHost: " + hostHeader + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n";
            byte[] h = head.getBytes(StandardCharsets.US_ASCII);
            byte[] request = new byte[h.length + body.length];
            System.arraycopy(h, 0, request, 0, h.length);
            System.arraycopy(body, 0, request, h.length, body.length);
            out.write(request);
            out.flush();
            return read(in);
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** Reads one response (status line, headers, Content-Length or chunked body). */
    static Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        String retryAfter = null;
        while (true) {
            String header = line(in);
            if (header.isEmpty()) {
                break;
            }
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" ->
                    chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> close = value.equalsIgnoreCase("close");
                case "retry-after" -> retryAfter = value;
                default -> {}
            }
        }
        if (chunked) {
            while (true) {
                String size = line(in);
                int semi = size.indexOf(';');
                long n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                if (n == 0) {
                    while (!line(in).isEmpty()) {
                        // trailers
                    }
                    break;
                }
                skip(in, n);
                line(in);
            }
        } else if (length > 0) {
            skip(in, length);
        } else if (length < 0) {
            close = true; // body until close: we do not need it
        }
        return new Response(status, close, retryAfter);
    }

    private static void skip(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long k = in.skip(left);
            if (k <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("connection closed in the body");
                }
                k = 1;
            }
            left -= k;
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed");
            }
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                b.write(c);
            }
            if (b.size() > 16384) {
                throw new IOException("header line too long");
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
