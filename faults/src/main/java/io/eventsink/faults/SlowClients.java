package io.eventsink.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * Slow and stalled HTTP clients: {@code connections} slots, each holding one TCP connection to the
 * service that starts a request and never finishes it, in one of three ways:
 *
 * <ul>
 *   <li>{@code halfHead}: half a request head, then silence (the service's head deadline applies,
 *       from the first byte);
 *   <li>{@code stalledBody}: a whole head with {@code Content-Length: 1000} and one body byte, then
 *       silence (the body deadline applies, from the end of the head);
 *   <li>{@code dripBody}: a whole head, then the body at one byte per second (body deadline).
 * </ul>
 *
 * For every connection it writes down what the service did and when, measured from the
 * connection's reference point (when the half head, or the whole head, was written): {@code 408}
 * with a JSON reason naming the right deadline, then the close; a close without an answer; a
 * reset; {@code 503} at accept (over the connection cap); any other answer; or nothing at all
 * until deadline + {@code graceMs}, when this tool gives up and closes it ({@code open}: the
 * service's failure). "Closed after" is the time from the reference point to the close, lateness
 * that minus the deadline ({@code early}: closed before the deadline can have passed). When a connection ends its slot opens a new one at once, so about
 * {@code connections} stay open for the whole run; slots start {@code rampPerSecond} per second.
 * When all slots are open (or after {@code rampTimeoutMs}) it creates {@code <out>/ramped}; once
 * {@code stopFile} exists (or after {@code maxDurationMs}) no slot reopens and it waits (bounded)
 * for the open connections to end, then writes {@code <out>/slow-clients.properties} and
 * {@code <out>/held.txt} (every 500 ms: milliseconds since start, connections open).
 *
 * <p>One thread and a {@link Selector} for all connections, so that the attacker, which shares
 * the machine with the service in the fault runs, costs as little CPU as possible and notices a
 * close as soon as it happens.
 *
 * <pre>
 * java io.eventsink.faults.SlowClients url=http://127.0.0.1:23600/ connections=10000 mix=1:1:1 \
 *      headTimeoutMs=5000 bodyTimeoutMs=5000 graceMs=5000 rampPerSecond=2500 out=/tmp/attack \
 *      stopFile=/tmp/attack/stop maxDurationMs=120000
 * </pre>
 */
public final class SlowClients {

    /** How a slot misbehaves. */
    enum Mode {
        HALF_HEAD("halfHead"),
        STALLED_BODY("stalledBody"),
        DRIP_BODY("dripBody");

        final String key;

        Mode(String key) {
            this.key = key;
        }
    }

    /** The declared body length: far more than a stalled client ever sends. */
    static final int DECLARED_BODY = 1000;

    private static final long MS = 1_000_000L;
    private static final long CONNECT_TIMEOUT = 5_000 * MS;
    private static final long CLOSE_AFTER_ANSWER = 2_000 * MS;
    private static final long PAUSE_AFTER_REFUSAL = 100 * MS;

    private final InetSocketAddress address;
    private final int connections;
    private final Mode[] modes;
    private final long headTimeoutMs;
    private final long bodyTimeoutMs;
    private final long graceMs;
    private final double rampPerSecond;
    private final long rampTimeoutMs;
    private final long maxDurationMs;
    private final Path stopFile;
    private final Path out;
    private final byte[] halfHead;
    private final byte[] fullHead;
    private final byte[] headAndByte;

    private final Slot[] slots;
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(8192);
    private final Selector selector;
    private final long startNanos = System.nanoTime();
    private long rampedNanos = -1;
    private long stoppedNanos = -1;
    private boolean stopping;
    private int open;

    private final Map<String, long[]> outcomes = new TreeMap<>();
    private long attempts;
    private long bytesDripped;
    private final Map<Mode, LongList> closedAfter = new EnumMap<>(Mode.class);
    /** For every connection the service closed: close time minus (reference + deadline), in ms. */
    private final LongList lateness = new LongList();
    /**
     * Connections closed before their deadline can have passed: before connect() + deadline for a
     * head (the service's head deadline runs from the accept, which cannot precede our connect()),
     * before the head was written + deadline for a body.
     */
    private long early;

    private final LongList answerToClose = new LongList();
    /** How late (µs) timers fired: when this tool itself is starved of CPU its timings are late too. */
    private final LongList timerLag = new LongList();
    /** Microseconds from connect() to the connection being usable. */
    private final LongList connectTimes = new LongList();

    private final List<long[]> held = new ArrayList<>();

    /** One connection slot; {@code generation} tells its timers which connection they were for. */
    private static final class Slot {
        final int index;
        final Mode mode;
        int generation;
        SocketChannel channel;
        long connectStarted;
        long writeStarted;
        long reference;
        long deadlineMs;
        int dripped;
        long answerAt;
        ByteArrayOutputStream answer;

        Slot(int index, Mode mode) {
            this.index = index;
            this.mode = mode;
        }
    }

    private enum Kind {
        OPEN,
        CONNECT_TIMEOUT,
        DRIP,
        GIVE_UP,
        CLOSE_TIMEOUT
    }

    private record Timer(long at, int slot, int generation, Kind kind) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer o) {
            return Long.compare(at, o.at);
        }
    }

    private SlowClients(Map<String, String> args) throws IOException {
        java.net.URI url = java.net.URI.create(args.getOrDefault("url", "http://127.0.0.1:23600/"));
        this.address = new InetSocketAddress(url.getHost(), url.getPort());
        this.connections = Integer.parseInt(args.getOrDefault("connections", "10000"));
        this.modes = modes(args.getOrDefault("mix", "1:1:1"), connections);
        this.headTimeoutMs = Long.parseLong(args.getOrDefault("headTimeoutMs", "10000"));
        this.bodyTimeoutMs = Long.parseLong(args.getOrDefault("bodyTimeoutMs", "10000"));
        this.graceMs = Long.parseLong(args.getOrDefault("graceMs", "5000"));
        this.rampPerSecond = Double.parseDouble(args.getOrDefault("rampPerSecond", "2500"));
        this.rampTimeoutMs = Long.parseLong(args.getOrDefault("rampTimeoutMs", "30000"));
        this.maxDurationMs = Long.parseLong(args.getOrDefault("maxDurationMs", "120000"));
        this.stopFile = args.containsKey("stopFile") ? Path.of(args.get("stopFile")) : null;
        this.out = Path.of(args.getOrDefault("out", "."));
        String head = "POST / HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                + "\r\nContent-Type: application/json\r\nUser-Agent: slow-clients\r\nContent-Length: "
                + DECLARED_BODY + "\r\n\r\n";
        this.fullHead = head.getBytes(StandardCharsets.US_ASCII);
        this.halfHead = Arrays.copyOf(fullHead, fullHead.length / 2);
        this.headAndByte = Arrays.copyOf(fullHead, fullHead.length + 1);
        headAndByte[fullHead.length] = '{';
        this.slots = new Slot[connections];
        for (int s = 0; s < connections; s++) {
            slots[s] = new Slot(s, modes[s]);
            timers.add(new Timer(startNanos + (long) (s * 1e9 / rampPerSecond), s, 0, Kind.OPEN));
        }
        for (Mode m : Mode.values()) {
            closedAfter.put(m, new LongList());
        }
        this.selector = Selector.open();
    }

    /** Spreads the modes over the slots in the given proportions ({@code halfHead:stalledBody:dripBody}). */
    static Mode[] modes(String mix, int slots) {
        String[] parts = mix.split(":");
        if (parts.length != 3) {
            throw new IllegalArgumentException("mix is halfHead:stalledBody:dripBody, e.g. 1:1:1, got " + mix);
        }
        int[] weights = Arrays.stream(parts).mapToInt(Integer::parseInt).toArray();
        List<Mode> cycle = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < weights[i]; k++) {
                cycle.add(Mode.values()[i]);
            }
        }
        if (cycle.isEmpty()) {
            throw new IllegalArgumentException("mix needs a positive weight");
        }
        Mode[] modes = new Mode[slots];
        for (int s = 0; s < slots; s++) {
            modes[s] = cycle.get(s % cycle.size());
        }
        return modes;
    }

    public static void main(String[] argv) throws Exception {
        SlowClients clients = new SlowClients(Args.parse(argv));
        Files.createDirectories(clients.out);
        clients.run();
        clients.write();
    }

    private void run() throws IOException {
        long rampEnd = startNanos + (long) (connections * 1e9 / rampPerSecond);
        long lastSample = 0;
        long lastStopCheck = 0;
        long finalBound = Long.MAX_VALUE;
        while (true) {
            long now = System.nanoTime();
            fireTimers(now);
            if (now - lastStopCheck >= 50 * MS) {
                lastStopCheck = now;
                if (rampedNanos < 0
                        && now >= rampEnd
                        && (open >= connections * 0.98 || now - startNanos > rampTimeoutMs * MS)) {
                    rampedNanos = now;
                    Files.writeString(out.resolve("ramped"), "openAtRamp=" + open + "\n");
                    System.out.println("RAMPED open=" + open + " after " + (now - startNanos) / MS + " ms");
                }
                if (!stopping
                        && ((stopFile != null && Files.exists(stopFile)) || now - startNanos > maxDurationMs * MS)) {
                    stopping = true;
                    stoppedNanos = now;
                    // Every connection still open ends by its deadline + grace (then we give up on it).
                    finalBound = now + (Math.max(headTimeoutMs, bodyTimeoutMs) + graceMs + 3_000) * MS;
                    System.out.println("STOPPING open=" + open);
                }
            }
            if (now - lastSample >= 500 * MS) {
                lastSample = now;
                held.add(new long[] {(now - startNanos) / MS, open});
            }
            if (stopping && (open == 0 || now - finalBound >= 0)) {
                break;
            }
            Timer next = timers.peek();
            long wait = next == null ? 50 : Math.max(1, Math.min(50, (next.at() - System.nanoTime()) / MS));
            selector.select(wait);
            for (SelectionKey key : selector.selectedKeys()) {
                Slot slot = (Slot) key.attachment();
                if (!key.isValid()) {
                    continue;
                }
                if (key.isConnectable()) {
                    connected(slot, key);
                } else if (key.isReadable()) {
                    readable(slot);
                }
            }
            selector.selectedKeys().clear();
        }
        for (Slot s : slots) {
            if (s.channel != null) {
                end(s, "open", -1);
            }
        }
    }

    private void fireTimers(long now) {
        while (!timers.isEmpty() && now - timers.peek().at() >= 0) {
            Timer t = timers.poll();
            Slot s = slots[t.slot()];
            if (t.kind() == Kind.DRIP || t.kind() == Kind.GIVE_UP) {
                timerLag.add((now - t.at()) / 1000);
            }
            if (t.kind() == Kind.OPEN) {
                if (!stopping) {
                    open(s);
                }
                continue;
            }
            if (t.generation() != s.generation || s.channel == null) {
                continue; // for a connection that has ended
            }
            switch (t.kind()) {
                case CONNECT_TIMEOUT -> {
                    if (s.reference == 0) {
                        end(s, "connect-timeout", -1);
                    }
                }
                case DRIP -> drip(s, now);
                case GIVE_UP -> {
                    readable(s); // an end that this thread has not seen yet counts as one
                    if (s.channel != null) {
                        end(s, "open", -1);
                    }
                }
                case CLOSE_TIMEOUT -> end(s, status(s) + "-not-closed", -1);
                default -> throw new IllegalStateException();
            }
        }
    }

    private void open(Slot s) {
        s.generation++;
        s.reference = 0;
        s.dripped = 0;
        s.answer = null;
        s.answerAt = 0;
        attempts++;
        try {
            SocketChannel ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            s.channel = ch;
            s.connectStarted = System.nanoTime();
            open++;
            if (ch.connect(address)) {
                ch.register(selector, SelectionKey.OP_READ, s);
                started(s);
            } else {
                ch.register(selector, SelectionKey.OP_CONNECT, s);
                timers.add(new Timer(s.connectStarted + CONNECT_TIMEOUT, s.index, s.generation, Kind.CONNECT_TIMEOUT));
            }
        } catch (IOException e) {
            end(s, "connect-error", -1);
        }
    }

    private void connected(Slot s, SelectionKey key) {
        try {
            if (!s.channel.finishConnect()) {
                return; // not yet: the selector tells us again
            }
            key.interestOps(SelectionKey.OP_READ);
            started(s);
        } catch (IOException e) {
            end(s, "connect-refused", -1);
        }
    }

    /** Connected: write the start of the request; from now on the deadline runs. */
    private void started(Slot s) {
        byte[] first = switch (s.mode) {
            case HALF_HEAD -> halfHead;
            case STALLED_BODY -> headAndByte;
            case DRIP_BODY -> fullHead;
        };
        // Read before the write: the service's deadline cannot start earlier, so a close seen before
        // this + deadline is early even when this thread is descheduled around the write.
        s.writeStarted = System.nanoTime();
        try {
            ByteBuffer b = ByteBuffer.wrap(first);
            s.channel.write(b);
            if (b.hasRemaining()) {
                end(s, "write-short", -1); // a few hundred bytes into an empty socket buffer: never
                return;
            }
        } catch (IOException e) {
            end(s, "write-failed", -1);
            return;
        }
        s.reference = System.nanoTime();
        connectTimes.add((s.reference - s.connectStarted) / 1000);
        s.deadlineMs = s.mode == Mode.HALF_HEAD ? headTimeoutMs : bodyTimeoutMs;
        timers.add(new Timer(s.reference + (s.deadlineMs + graceMs) * MS, s.index, s.generation, Kind.GIVE_UP));
        if (s.mode == Mode.DRIP_BODY) {
            timers.add(new Timer(s.reference + 1_000 * MS, s.index, s.generation, Kind.DRIP));
        }
    }

    private void drip(Slot s, long now) {
        if (s.answer != null || s.dripped >= DECLARED_BODY - 1) {
            return;
        }
        try {
            s.channel.write(ByteBuffer.wrap(new byte[] {(byte) (s.dripped == 0 ? '{' : ' ')}));
            s.dripped++;
            bytesDripped++;
            timers.add(new Timer(now + 1_000 * MS, s.index, s.generation, Kind.DRIP));
        } catch (IOException e) {
            // The service has closed it (reset): a read tells us the rest.
            readable(s);
            if (s.channel != null) {
                end(s, "reset", System.nanoTime());
            }
        }
    }

    private void readable(Slot s) {
        long now = System.nanoTime();
        while (s.channel != null) {
            int n;
            readBuffer.clear();
            try {
                n = s.channel.read(readBuffer);
            } catch (IOException e) {
                // a reset: after an answer it is the close; without one, the service dropped us
                end(s, s.answer == null ? "reset" : answered(s), now);
                return;
            }
            if (n == 0) {
                return;
            }
            if (n < 0) {
                end(s, s.answer == null ? "closed" : answered(s), now);
                return;
            }
            if (s.answer == null) {
                s.answer = new ByteArrayOutputStream(256);
                s.answerAt = now;
                timers.add(new Timer(now + CLOSE_AFTER_ANSWER, s.index, s.generation, Kind.CLOSE_TIMEOUT));
            }
            if (s.answer.size() < 8192) {
                s.answer.write(readBuffer.array(), 0, n);
            }
        }
    }

    private static String status(Slot s) {
        String text = s.answer == null ? "" : s.answer.toString(StandardCharsets.ISO_8859_1);
        return text.length() >= 12 && text.startsWith("HTTP/1.") ? text.substring(9, 12) : "garbage";
    }

    /** The outcome of a connection that got an answer and was then closed. */
    private String answered(Slot s) {
        String status = status(s);
        if (status.equals("503")) {
            return "refused503";
        }
        if (!status.equals("408")) {
            return status;
        }
        String text = s.answer.toString(StandardCharsets.ISO_8859_1);
        int split = text.indexOf("\r\n\r\n");
        String headers = split < 0 ? text : text.substring(0, split).toLowerCase(Locale.ROOT);
        String body = split < 0 ? "" : text.substring(split + 4);
        if (!headers.contains("content-type: application/json") || !body.startsWith("{\"message\":\"")) {
            return "408-without-json";
        }
        boolean rightReason = s.mode == Mode.HALF_HEAD ? body.contains("head") : body.contains("body");
        return rightReason ? "408" : "408-wrong-reason";
    }

    /** Ends the slot's connection with an outcome; {@code closedAt} is when the service closed it (-1: it did not). */
    private void end(Slot s, String outcome, long closedAt) {
        SocketChannel ch = s.channel;
        s.channel = null;
        open--;
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        outcomes.computeIfAbsent(s.mode.key + "." + outcome, k -> new long[1])[0]++;
        if (closedAt > 0 && s.reference > 0 && !outcome.equals("refused503")) {
            long afterMs = (closedAt - s.reference) / MS;
            closedAfter.get(s.mode).add(afterMs);
            lateness.add(afterMs - s.deadlineMs);
            long from = s.mode == Mode.HALF_HEAD ? s.connectStarted : s.writeStarted;
            if (closedAt - from < s.deadlineMs * MS) {
                early++;
            }
            if (s.answer != null) {
                answerToClose.add((closedAt - s.answerAt) / 1000);
            }
        }
        if (!stopping) {
            boolean refused = outcome.startsWith("connect-") || outcome.equals("refused503");
            long at = System.nanoTime() + (refused ? PAUSE_AFTER_REFUSAL : 0);
            timers.add(new Timer(at, s.index, s.generation, Kind.OPEN));
        }
    }

    private void write() throws IOException {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long[] late = lateness.sorted();
        long[] toClose = answerToClose.sorted();
        Map<String, String> p = new TreeMap<>();
        p.put("connections", Integer.toString(connections));
        for (Mode m : Mode.values()) {
            p.put(
                    "slots." + m.key,
                    Long.toString(Arrays.stream(modes).filter(x -> x == m).count()));
        }
        p.put("headTimeoutMs", Long.toString(headTimeoutMs));
        p.put("bodyTimeoutMs", Long.toString(bodyTimeoutMs));
        p.put("graceMs", Long.toString(graceMs));
        p.put("seconds", String.format(Locale.ROOT, "%.1f", seconds));
        p.put("attempts", Long.toString(attempts));
        p.put("bytesDripped", Long.toString(bytesDripped));
        long not408 = 0;
        Map<String, Long> totals = new TreeMap<>();
        for (Map.Entry<String, long[]> e : outcomes.entrySet()) {
            p.put("outcome." + e.getKey(), Long.toString(e.getValue()[0]));
            String o = e.getKey().substring(e.getKey().indexOf('.') + 1);
            totals.merge(o, e.getValue()[0], Long::sum);
            if (!o.equals("408")) {
                not408 += e.getValue()[0];
            }
        }
        for (String o : new String[] {"408", "closed", "reset", "open", "refused503"}) {
            p.put("total." + o, Long.toString(totals.getOrDefault(o, 0L)));
        }
        p.put("total.not408", Long.toString(not408));
        p.put("closes", Integer.toString(late.length));
        p.put("latenessMinMs", Long.toString(late.length == 0 ? 0 : late[0]));
        p.put("latenessP50Ms", Long.toString(percentile(late, 0.50)));
        p.put("latenessP99Ms", Long.toString(percentile(late, 0.99)));
        p.put("latenessMaxMs", Long.toString(late.length == 0 ? 0 : late[late.length - 1]));
        p.put(
                "lateOver1s",
                Long.toString(Arrays.stream(late).filter(l -> l > 1000).count()));
        p.put("early", Long.toString(early));
        p.put("answerToCloseP99Ms", String.format(Locale.ROOT, "%.1f", percentile(toClose, 0.99) / 1000.0));
        long[] connect = connectTimes.sorted();
        p.put("connectP99Ms", String.format(Locale.ROOT, "%.1f", percentile(connect, 0.99) / 1000.0));
        p.put(
                "connectMaxMs",
                String.format(Locale.ROOT, "%.1f", connect.length == 0 ? 0 : connect[connect.length - 1] / 1000.0));
        long[] lag = timerLag.sorted();
        p.put("timerLagP99Ms", String.format(Locale.ROOT, "%.1f", percentile(lag, 0.99) / 1000.0));
        p.put("timerLagMaxMs", String.format(Locale.ROOT, "%.1f", lag.length == 0 ? 0 : lag[lag.length - 1] / 1000.0));
        for (Mode m : Mode.values()) {
            long[] c = closedAfter.get(m).sorted();
            p.put("closedAfter." + m.key + ".minMs", Long.toString(c.length == 0 ? 0 : c[0]));
            p.put("closedAfter." + m.key + ".p50Ms", Long.toString(percentile(c, 0.50)));
            p.put("closedAfter." + m.key + ".p99Ms", Long.toString(percentile(c, 0.99)));
            p.put("closedAfter." + m.key + ".maxMs", Long.toString(c.length == 0 ? 0 : c[c.length - 1]));
        }
        // Connections held between the end of the ramp and the stop.
        long min = Long.MAX_VALUE;
        long max = 0;
        long sum = 0;
        int samples = 0;
        long from = rampedNanos < 0 ? Long.MAX_VALUE : (rampedNanos - startNanos) / MS;
        long to = stoppedNanos < 0 ? Long.MAX_VALUE : (stoppedNanos - startNanos) / MS;
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("held.txt")))) {
            for (long[] s : held) {
                w.println(s[0] + " " + s[1]);
                if (s[0] >= from && s[0] <= to) {
                    min = Math.min(min, s[1]);
                    max = Math.max(max, s[1]);
                    sum += s[1];
                    samples++;
                }
            }
        }
        p.put("heldSamples", Integer.toString(samples));
        p.put("heldMin", Long.toString(samples == 0 ? 0 : min));
        p.put("heldMax", Long.toString(max));
        p.put("heldMean", Long.toString(samples == 0 ? 0 : sum / samples));
        p.put("rampMs", Long.toString(rampedNanos < 0 ? -1 : (rampedNanos - startNanos) / MS));
        p.put(
                "cpuSeconds",
                String.format(
                        Locale.ROOT,
                        "%.1f",
                        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                                        .getProcessCpuTime()
                                / 1e9));
        StringBuilder sb = new StringBuilder();
        p.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        Files.writeString(out.resolve("slow-clients.properties"), sb.toString());
        System.out.print(sb);
    }

    private static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
