package io.eventsink.service.cmcd;

import io.eventsink.service.cmcd.CmcdToEpas.Mapped;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Says in the log that reports are being skipped for want of {@code sid}, {@code e} or {@code ts}:
 * such a player gets 204 (as CTA-5004-B wants) and the metric counts it, but whoever configured the
 * player reads the log. At most one line per interval for each set of missing keys, with how many
 * were skipped since the previous line and the key names of the last such report, sorted (key names are
 * Structured Field keys, {@code [a-z0-9_.*-]}: nothing the client sent goes out unchecked).
 */
public final class SkippedReportLog {

    private static final System.Logger LOG = System.getLogger(SkippedReportLog.class.getName());
    private static final Duration INTERVAL = Duration.ofMinutes(1);
    /** Key names quoted from a skipped report, at most. */
    private static final int MAX_KEYS_SHOWN = 24;

    private final LongSupplier nanoTime;
    private final long intervalNanos;
    private final Consumer<String> out;
    /** Per set of missing keys ("sid", "e", "ts", "e, ts"): a handful of entries at most. */
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public SkippedReportLog() {
        this(System::nanoTime, INTERVAL, line -> LOG.log(Level.WARNING, line));
    }

    SkippedReportLog(LongSupplier nanoTime, Duration interval, Consumer<String> out) {
        this.nanoTime = nanoTime;
        this.intervalNanos = interval.toNanos();
        this.out = out;
    }

    /** Notes what {@link CmcdToEpas#map} made of a report; only reports missing keys count. */
    public void noted(CmcdReport report, Mapped mapped) {
        String missing = mapped.missing();
        if (missing == null) {
            return;
        }
        Window w = windows.computeIfAbsent(missing, k -> new Window(nanoTime.getAsLong()));
        w.skipped.incrementAndGet();
        long now = nanoTime.getAsLong();
        long due = w.due.get();
        if (now - due >= 0 && w.due.compareAndSet(due, now + intervalNanos)) {
            long count = w.skipped.getAndSet(0);
            out.accept(line(missing, count, report));
        }
    }

    private String line(String missing, long count, CmcdReport report) {
        String sent = report.keys().keySet().stream()
                .sorted()
                .limit(MAX_KEYS_SHOWN)
                .reduce((a, b) -> a + ", " + b)
                .orElse("none");
        return "CMCD: " + count + (count == 1 ? " report" : " reports") + " skipped without " + missing
                + " since the last such line (answered 204, stored nothing; at most one line a minute)."
                + " The last one had the keys: " + sent + "."
                + " The player's event target must send " + missing
                + " (dash.js and the CML reporter send only the keys listed in enabledKeys): see docs/cmcd.md";
    }

    /** Reports skipped since the last line, and when the next line may be written. */
    private static final class Window {
        final AtomicLong skipped = new AtomicLong();
        final AtomicLong due;

        Window(long now) {
            due = new AtomicLong(now);
        }
    }
}
