package io.eventsink.bench.delivery;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the machine's CPU went during a window, from /proc: the service's threads by kind (virtual
 * thread carriers, JIT compilers, GC, the rest), ElasticMQ, wrk (the benchmark's reaped children),
 * everything else on the machine, idle and steal. Events/s on this machine is set by how these
 * share two cores, so a warm-up curve reads better next to it.
 */
final class CpuSplit {

    /** Column names, in report order; values are in cores (CPU seconds per second). */
    static final List<String> PARTS =
            List.of("carriers", "JIT", "GC", "service other", "ElasticMQ", "wrk", "rest of machine", "idle", "steal");

    /** A service thread's kind and its cumulative clock ticks. */
    record ThreadTicks(String group, long ticks) {}

    /** Cumulative clock ticks at one instant. */
    record Snapshot(
            long nanos,
            Map<Long, ThreadTicks> threads,
            long service,
            long queue,
            long children,
            long busy,
            long idle,
            long steal) {}

    private CpuSplit() {}

    static Snapshot take(long servicePid, long queuePid) {
        Map<Long, ThreadTicks> threads = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + servicePid + "/task"))) {
            for (Path task : tasks) {
                String stat = readOrNull(task.resolve("stat"));
                if (stat != null) {
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    threads.put(
                            Long.parseLong(task.getFileName().toString()), new ThreadTicks(group(name), ticksOf(stat)));
                }
            }
        } catch (IOException e) {
            // the service has exited: its threads count as nothing
        }
        String self = readOrNull(Path.of("/proc/self/stat"));
        String[] f = self.substring(self.lastIndexOf(')') + 2).split(" ");
        // after "pid (comm) ": cutime is field 16, cstime 17 (1-based) -> index 13, 14 here
        long children = Long.parseLong(f[13]) + Long.parseLong(f[14]);
        String[] cpu = readOrNull(Path.of("/proc/stat"))
                .lines()
                .findFirst()
                .orElseThrow()
                .trim()
                .split("\\s+");
        // cpu user nice system idle iowait irq softirq steal
        long busy = Long.parseLong(cpu[1])
                + Long.parseLong(cpu[2])
                + Long.parseLong(cpu[3])
                + Long.parseLong(cpu[6])
                + Long.parseLong(cpu[7]);
        long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
        long steal = Long.parseLong(cpu[8]);
        return new Snapshot(
                System.nanoTime(),
                threads,
                processTicks(servicePid),
                processTicks(queuePid),
                children,
                busy,
                idle,
                steal);
    }

    /** Cores used by each part between two snapshots. */
    static Map<String, Double> between(Snapshot a, Snapshot b, long ticksPerSecond) {
        double seconds = (b.nanos() - a.nanos()) / 1e9;
        Map<String, Long> byGroup = new HashMap<>();
        b.threads().forEach((tid, t) -> {
            ThreadTicks earlier = a.threads().get(tid);
            byGroup.merge(t.group(), t.ticks() - (earlier == null ? 0 : earlier.ticks()), Long::sum);
        });
        long service = b.service() - a.service();
        long carriers = byGroup.getOrDefault("carriers", 0L);
        long jit = byGroup.getOrDefault("JIT", 0L);
        long gc = byGroup.getOrDefault("GC", 0L);
        long queue = b.queue() - a.queue();
        long wrk = b.children() - a.children();
        long busy = b.busy() - a.busy();
        Map<String, Double> cores = new LinkedHashMap<>();
        double scale = ticksPerSecond * seconds;
        cores.put("carriers", carriers / scale);
        cores.put("JIT", jit / scale);
        cores.put("GC", gc / scale);
        // threads that ended within the window are in the process's total only
        cores.put("service other", Math.max(0, service - carriers - jit - gc) / scale);
        cores.put("ElasticMQ", queue / scale);
        cores.put("wrk", wrk / scale);
        cores.put("rest of machine", Math.max(0, busy - service - queue - wrk) / scale);
        cores.put("idle", (b.idle() - a.idle()) / scale);
        cores.put("steal", (b.steal() - a.steal()) / scale);
        return cores;
    }

    /** A thread's kind from its name as the kernel keeps it (15 characters at most). */
    static String group(String name) {
        if (name.startsWith("ForkJoinPool-")) {
            return "carriers"; // the default virtual-thread scheduler's carrier threads
        }
        if (name.startsWith("C2 Compiler") || name.startsWith("C1 Compiler")) {
            return "JIT";
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
            return "GC";
        }
        return "service other";
    }

    private static long processTicks(long pid) {
        String stat = readOrNull(Path.of("/proc/" + pid + "/stat"));
        return stat == null ? 0 : ticksOf(stat);
    }

    /** utime + stime of a /proc stat line. */
    private static long ticksOf(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after "pid (comm) ": state is field 3, utime 14, stime 15 (1-based) -> index 11, 12 here
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static String readOrNull(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return null; // a thread or process that ended
        }
    }
}
