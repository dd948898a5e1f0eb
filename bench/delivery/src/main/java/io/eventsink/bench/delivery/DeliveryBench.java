package io.eventsink.bench.delivery;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The delivery benchmark (bench/delivery.sh): for each target — nginx's canned 200 (this machine's
 * HTTP ceiling), the stdout sink, and each SQS client candidate against ElasticMQ in its own
 * process — a fresh JVM driven by wrk in 5-second windows from its start. Per window: acknowledged
 * events/s, p50/p99, the service's CPU per acknowledged event (utime+stime from /proc), and a
 * queue check (messages in the queue ≥ 200s) before the queue is purged so it never fills.
 * Targets alternate over rounds so drift on a shared machine hits them alike; medians are reported.
 *
 * <p>Settings are environment variables (see bench/README.md).
 */
public final class DeliveryBench {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private static final long TICK_NANOS = 10_000_000; // USER_HZ 100 on Linux
    private static final Pattern QUEUE_URL = Pattern.compile("^QUEUE_URL=(.*)$", Pattern.MULTILINE);

    private final Map<String, String> env = System.getenv();
    private final int windows = integer("WINDOWS", 14);
    private final int windowSeconds = integer("WINDOW_SECONDS", 5);
    private final int connections = integer("CONNECTIONS", 32);
    private final int rounds = integer("ROUNDS", 2);
    private final int steadyFrom = integer("STEADY_FROM_SECONDS", 35);
    private final List<String> candidates =
            List.of(env.getOrDefault("CANDIDATES", "lean-helidon,sdk-netty").split(","));
    private final String java = ProcessHandle.current().info().command().orElse("java");
    private final String serviceHeap = env.getOrDefault("SERVICE_HEAP", "-Xms512m -Xmx512m");
    private final Path out = ROOT.resolve(env.getOrDefault("OUT", "bench/results/delivery"));
    private final int sinkPort = 13000;
    private final int managementPort = 19090;
    private final int sqsPort = 19324;
    private final int nginxPort = 18080;
    private final List<Process> processes = new ArrayList<>();
    private final StringBuilder report = new StringBuilder();
    private String queueUrl;
    private Process elasticMq;
    private boolean mismatch;

    /** One measured window of one run. */
    record Window(
            double fromS,
            double toS,
            long ok,
            long requests,
            double seconds,
            double p50,
            double p99,
            double cpuMs,
            long inQueue,
            Map<String, Double> cores) {

        double eventsPerSecond() {
            return ok / seconds;
        }

        double cpuMicrosPerEvent() {
            return ok == 0 ? Double.NaN : cpuMs * 1000 / ok;
        }
    }

    /** A target: how to start it and what to call it. */
    record Target(String name, List<String> command, Map<String, String> environment, boolean queue) {}

    public static void main(String[] args) throws Exception {
        DeliveryBench bench = new DeliveryBench();
        Runtime.getRuntime().addShutdownHook(new Thread(bench::stopAll));
        int code = bench.run();
        bench.stopAll();
        System.exit(code);
    }

    private int integer(String name, int def) {
        return Integer.parseInt(env.getOrDefault(name, Integer.toString(def)));
    }

    private int run() throws Exception {
        Files.createDirectories(out);
        line("# Delivery benchmark, " + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME));
        line("");
        line("wrk -t1 -c" + connections + ", " + windowSeconds + " s windows from JVM start, " + windows
                + " windows per run, " + rounds + " rounds alternating targets; service " + serviceHeap + "; "
                + Runtime.getRuntime().availableProcessors() + " CPUs shared by wrk, the service and ElasticMQ. "
                + "JDK: " + System.getProperty("java.vm.version") + ".");
        line("");

        startElasticMq();
        warmQueue();

        Map<String, List<List<Window>>> runs = new LinkedHashMap<>();
        if (!env.getOrDefault("NGINX", "true").equals("false")) {
            runs.put("nginx canned 200 (ceiling)", List.of(nginx()));
        }
        List<Target> targets = new ArrayList<>();
        if (!env.getOrDefault("STDOUT", "true").equals("false")) {
            targets.add(new Target("stdout sink", sinkCommand(List.of()), Map.of("QUEUE_TYPE", "stdout"), false));
        }
        for (String candidate : candidates) {
            if (!candidate.isBlank()) {
                targets.add(new Target("sqs: " + candidate, sinkCommand(List.of()), sqsEnv(candidate), true));
            }
        }
        String aotCache = env.get("AOT_CACHE");
        if (aotCache != null) {
            targets.add(new Target("sqs: shipped jar", shippedJarCommand(List.of()), sqsEnv(null), true));
            // one cache, or several (comma-separated, e.g. from different training runs) side by side
            List<String> caches = Arrays.asList(aotCache.split(","));
            for (String cache : caches) {
                String name = caches.size() == 1 ? "sqs: shipped jar + AOT cache" : "sqs: shipped jar + " + cache;
                targets.add(new Target(name, shippedJarCommand(List.of("-XX:AOTCache=" + cache)), sqsEnv(null), true));
            }
        }
        // Another build of the service (an older commit, a branch) against this one, side by side.
        String baselineJar = env.get("BASELINE_JAR");
        if (baselineJar != null) {
            if (aotCache == null) {
                targets.add(new Target("sqs: shipped jar", shippedJarCommand(List.of()), sqsEnv(null), true));
            }
            targets.add(new Target("sqs: baseline jar", jarCommand(baselineJar, List.of()), sqsEnv(null), true));
        }
        for (int round = 1; round <= rounds; round++) {
            for (Target target : targets) {
                System.err.printf("round %d: %s%n", round, target.name());
                runs.computeIfAbsent(target.name(), k -> new ArrayList<>()).add(measure(target, round));
            }
        }
        summarise(runs);
        Path file = out.resolve("report.md");
        Files.writeString(file, report);
        System.out.println(report);
        System.err.println("report: " + ROOT.relativize(file));
        if (mismatch) {
            System.err.println("bench: MISMATCH: a window had fewer messages in the queue than 200s");
            return 1;
        }
        return 0;
    }

    private List<String> sinkCommand(List<String> jvm) {
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(Arrays.asList(serviceHeap.split(" ")));
        cmd.addAll(jvm);
        cmd.addAll(List.of(
                "-cp",
                "bench/delivery/target/eventsink-bench-delivery.jar:bench/delivery/target/libs/*",
                "io.eventsink.bench.delivery.BenchSink"));
        return cmd;
    }

    private List<String> shippedJarCommand(List<String> jvm) {
        return jarCommand("service/target/eventsink-service.jar", jvm);
    }

    private List<String> jarCommand(String jar, List<String> jvm) {
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(Arrays.asList(serviceHeap.split(" ")));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-jar", jar));
        return cmd;
    }

    private Map<String, String> sqsEnv(String candidate) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("QUEUE_TYPE", "SQS");
        e.put("SQS_QUEUE_URL", queueUrl);
        e.put("SQS_ENDPOINT", "http://127.0.0.1:" + sqsPort);
        e.put("AWS_REGION", "elasticmq");
        e.put("AWS_ACCESS_KEY_ID", "bench");
        e.put("AWS_SECRET_ACCESS_KEY", "bench");
        if (candidate != null) {
            e.put("BENCH_WRITER", candidate);
        }
        return e;
    }

    private void startElasticMq() throws Exception {
        Path log = out.resolve("elasticmq.out");
        ProcessBuilder pb = new ProcessBuilder(
                        java,
                        "-Xms2g",
                        "-Xmx2g",
                        "-cp",
                        "bench/delivery/target/libs/*",
                        "io.eventsink.embeddedsqs.EmbeddedSqs",
                        Integer.toString(sqsPort),
                        "bench")
                .directory(ROOT.toFile())
                .redirectOutput(log.toFile())
                .redirectError(out.resolve("elasticmq.log").toFile());
        elasticMq = pb.start();
        processes.add(elasticMq);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = QUEUE_URL.matcher(Files.exists(log) ? Files.readString(log) : "");
            if (m.find()) {
                queueUrl = m.group(1).trim();
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("ElasticMQ did not start; see " + out.resolve("elasticmq.log"));
    }

    /** ElasticMQ is a JVM too: let it warm up before any figure counts. */
    private void warmQueue() throws Exception {
        int seconds = integer("QUEUE_WARMUP_SECONDS", 40);
        if (seconds <= 0) {
            return;
        }
        System.err.println("warming ElasticMQ for " + seconds + " s");
        Process sink = start(new Target("warm-up", sinkCommand(List.of()), sqsEnv("lean-helidon"), true), "warmup");
        waitUntilUp(sink);
        for (int left = seconds; left > 0; left -= 10) {
            wrk(Math.min(10, left), "http://127.0.0.1:" + sinkPort + "/");
            purge();
        }
        stop(sink);
        purge();
    }

    private List<Window> nginx() throws Exception {
        Path dir = Files.createTempDirectory("bench-nginx");
        String conf = Files.readString(ROOT.resolve("bench/nginx.conf.template"))
                .replace("__DIR__", dir.toString())
                .replace("__PORT__", Integer.toString(nginxPort));
        Files.writeString(dir.resolve("nginx.conf"), conf);
        Process nginx = new ProcessBuilder(
                        "nginx", "-c", dir.resolve("nginx.conf").toString(), "-p", dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        processes.add(nginx);
        String url = "http://127.0.0.1:" + nginxPort + "/";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (status(url, "POST") != 200 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        wrk(5, url);
        List<Window> result = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Wrk w = wrk(windowSeconds, url);
            result.add(new Window(0, 0, w.ok, w.requests, w.seconds, w.p50, w.p99, Double.NaN, -1, Map.of()));
        }
        nginx.destroy();
        nginx.waitFor(10, TimeUnit.SECONDS);
        return result;
    }

    private List<Window> measure(Target target, int round) throws Exception {
        long spawned = System.nanoTime();
        Process sink = start(target, slug(target.name()) + "-r" + round);
        waitUntilUp(sink);
        String url = "http://127.0.0.1:" + sinkPort + "/";
        List<Window> result = new ArrayList<>();
        for (int k = 0; k < windows; k++) {
            double from = (System.nanoTime() - spawned) / 1e9;
            long end = spawned + TimeUnit.SECONDS.toNanos((long) windowSeconds * (k + 1));
            int seconds = (int) Math.max(1, Math.round((end - System.nanoTime()) / 1e9));
            CpuSplit.Snapshot before = CpuSplit.take(sink.pid(), elasticMq.pid());
            Wrk w = wrk(seconds, url);
            CpuSplit.Snapshot after = CpuSplit.take(sink.pid(), elasticMq.pid());
            double to = (System.nanoTime() - spawned) / 1e9;
            long inQueue = -1;
            if (target.queue()) {
                inQueue = queueDepth();
                if (inQueue < w.ok) {
                    mismatch = true;
                    System.err.printf(
                            "MISMATCH %s window %d: %d in queue < %d 200s%n", target.name(), k, inQueue, w.ok);
                }
                purge();
            }
            result.add(new Window(
                    from,
                    to,
                    w.ok,
                    w.requests,
                    w.seconds,
                    w.p50,
                    w.p99,
                    (after.service() - before.service()) * TICK_NANOS / 1e6,
                    inQueue,
                    CpuSplit.between(before, after, 1_000_000_000L / TICK_NANOS)));
            long wait = spawned + TimeUnit.SECONDS.toNanos((long) windowSeconds * (k + 1)) - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
        stop(sink);
        return result;
    }

    private Process start(Target target, String name) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(target.command())
                .directory(ROOT.toFile())
                .redirectError(out.resolve(name + ".log").toFile());
        // the stdout sink writes every event to standard output: throw it away, as to /dev/null
        pb.redirectOutput(
                target.queue()
                        ? ProcessBuilder.Redirect.to(out.resolve(name + ".out").toFile())
                        : ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(target.environment());
        pb.environment().put("PORT", Integer.toString(sinkPort));
        pb.environment().put("MANAGEMENT_PORT", Integer.toString(managementPort));
        pb.environment().put("HOST", "127.0.0.1");
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private void waitUntilUp(Process p) throws InterruptedException {
        String ready = "http://127.0.0.1:" + managementPort + "/health/ready";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the service exited with " + p.exitValue());
            }
            if (status(ready, "GET") == 200) {
                return;
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("the service did not become ready");
    }

    private void stop(Process p) throws InterruptedException {
        p.destroy(); // SIGTERM: graceful, delivers what is pending
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        processes.remove(p);
    }

    private void stopAll() {
        for (Process p : List.copyOf(processes)) {
            p.destroyForcibly();
        }
        processes.clear();
    }

    private long queueDepth() throws Exception {
        String body = get(queueUrl + "?Action=GetQueueAttributes&AttributeName.1=ApproximateNumberOfMessages");
        Matcher m = Pattern.compile("<Value>(\\d+)</Value>").matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no queue depth in " + body);
        }
        return Long.parseLong(m.group(1));
    }

    private void purge() throws Exception {
        get(queueUrl + "?Action=PurgeQueue");
    }

    private static String get(String url) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(30))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static int status(String url, String method) {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(2))
                                    .method(method, HttpRequest.BodyPublishers.noBody())
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    record Wrk(long ok, long requests, double seconds, double p50, double p99) {}

    private Wrk wrk(int seconds, String url) throws Exception {
        Process p = new ProcessBuilder(
                        "wrk",
                        "-t1",
                        "-c" + connections,
                        "-d" + seconds + "s",
                        "--latency",
                        "-s",
                        "bench/epas-mix.lua",
                        url)
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .start();
        String text = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return new Wrk(
                match(text, "STATUS 200 (\\d+)", 0),
                match(text, "TOTAL requests=(\\d+)", 0),
                decimal(text, "duration_s=([0-9.]+)", seconds),
                decimal(text, "LATENCY p50=([0-9.]+)", Double.NaN),
                decimal(text, "p99=([0-9.]+)", Double.NaN));
    }

    private static long match(String text, String regex, long def) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : def;
    }

    private static double decimal(String text, String regex, double def) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : def;
    }

    // --- report

    /** A ratio against a target that was not run (nginx, the stdout sink) reads "–", not NaN. */
    private static String orDash(String format, double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, format, value) : "–";
    }

    private void summarise(Map<String, List<List<Window>>> runs) {
        double nginxRps = runs.entrySet().stream()
                .filter(e -> e.getKey().startsWith("nginx"))
                .flatMap(e -> e.getValue().stream().flatMap(List::stream))
                .mapToDouble(Window::eventsPerSecond)
                .max()
                .orElse(Double.NaN);
        double stdoutCpu = steady(runs.get("stdout sink"), Window::cpuMicrosPerEvent);
        line("## Summary (medians over rounds; steady state = windows starting " + steadyFrom + " s or later)");
        line("");
        line("| target | steady events/s | % of nginx | steady µs CPU/event | × stdout | 5–10 s window events/s"
                + " | 5–10 s ÷ steady | best window in the first 30 s: events/s (p99 ms) |");
        line("|---|---|---|---|---|---|---|---|");
        for (Map.Entry<String, List<List<Window>>> e : runs.entrySet()) {
            List<List<Window>> r = e.getValue();
            if (e.getKey().startsWith("nginx")) {
                line(String.format(Locale.ROOT, "| %s | %,.0f | 100 | – | – | – | – | – |", e.getKey(), nginxRps));
                continue;
            }
            double rps = steady(r, Window::eventsPerSecond);
            double cpu = steady(r, Window::cpuMicrosPerEvent);
            // The window that starts 5 s after spawn (its end drifts by the time wrk takes to stop).
            double early = medianOf(r, w -> w.fromS() >= 4.5 && w.fromS() < 7, Window::eventsPerSecond);
            String first30 = bestEarly(r);
            line(String.format(
                    Locale.ROOT,
                    "| %s | %,.0f | %s | %.1f | %s | %s | %s | %s |",
                    e.getKey(),
                    rps,
                    orDash("%.0f", 100 * rps / nginxRps),
                    cpu,
                    orDash("%.2f", cpu / stdoutCpu),
                    orDash("%,.0f", early),
                    orDash("%.0f %%", 100 * early / rps),
                    first30));
        }
        line("");
        line("## Warm-up curves (median over rounds per window)");
        for (Map.Entry<String, List<List<Window>>> e : runs.entrySet()) {
            if (e.getKey().startsWith("nginx")) {
                continue;
            }
            line("");
            line("### " + e.getKey());
            line("");
            line("| window (s after JVM start) | events/s | µs CPU/event | p50 ms | p99 ms | queue ≥ 200s |");
            line("|---|---|---|---|---|---|");
            List<List<Window>> r = e.getValue();
            for (int k = 0; k < windows; k++) {
                List<Window> at = windowAt(r, k);
                if (at.isEmpty()) {
                    continue;
                }
                boolean queued = at.getFirst().inQueue() >= 0;
                boolean ok = at.stream().allMatch(w -> w.inQueue() >= w.ok());
                line(String.format(
                        Locale.ROOT,
                        "| %.1f–%.1f | %,.0f | %.1f | %.2f | %.2f | %s |",
                        median(at, Window::fromS),
                        median(at, Window::toS),
                        median(at, Window::eventsPerSecond),
                        median(at, Window::cpuMicrosPerEvent),
                        median(at, Window::p50),
                        median(at, Window::p99),
                        queued ? (ok ? "yes" : "**no**") : "–"));
            }
            cpuSplit(r);
        }
    }

    /** The k-th window of every round that has one. */
    private static List<Window> windowAt(List<List<Window>> rounds, int k) {
        return rounds.stream().filter(w -> w.size() > k).map(w -> w.get(k)).toList();
    }

    /** Where the machine's cores went in each window (median over rounds), next to the curve. */
    private void cpuSplit(List<List<Window>> r) {
        line("");
        line("Where the " + Runtime.getRuntime().availableProcessors()
                + " cores went (cores used; service threads by kind, then the other processes):");
        line("");
        line("| window (s after JVM start) | " + String.join(" | ", CpuSplit.PARTS) + " |");
        line("|---" + "|---".repeat(CpuSplit.PARTS.size()) + "|");
        for (int k = 0; k < windows; k++) {
            List<Window> at = windowAt(r, k);
            if (at.isEmpty()) {
                continue;
            }
            StringBuilder row = new StringBuilder(
                    String.format(Locale.ROOT, "| %.1f–%.1f |", median(at, Window::fromS), median(at, Window::toS)));
            for (String part : CpuSplit.PARTS) {
                row.append(String.format(
                        Locale.ROOT, " %.2f |", median(at, w -> w.cores().getOrDefault(part, Double.NaN))));
            }
            line(row.toString());
        }
    }

    private String bestEarly(List<List<Window>> runs) {
        List<Double> rps = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        for (List<Window> run : runs) {
            run.stream()
                    .filter(w -> w.toS() <= 30.5)
                    .max((a, b) -> Double.compare(a.eventsPerSecond(), b.eventsPerSecond()))
                    .ifPresent(w -> {
                        rps.add(w.eventsPerSecond());
                        p99.add(w.p99());
                    });
        }
        return String.format(Locale.ROOT, "%,.0f (%.1f)", medianD(rps), medianD(p99));
    }

    private double steady(List<List<Window>> runs, ToDoubleFunction<Window> f) {
        return runs == null ? Double.NaN : medianOf(runs, w -> w.fromS() >= steadyFrom - 0.5, f);
    }

    /** Median over rounds of each round's median over the selected windows. */
    private static double medianOf(
            List<List<Window>> runs, java.util.function.Predicate<Window> which, ToDoubleFunction<Window> f) {
        List<Double> perRound = new ArrayList<>();
        for (List<Window> run : runs) {
            List<Window> sel = run.stream().filter(which).toList();
            if (!sel.isEmpty()) {
                perRound.add(median(sel, f));
            }
        }
        return medianD(perRound);
    }

    private static double median(List<Window> ws, ToDoubleFunction<Window> f) {
        return medianD(
                ws.stream().map(w -> f.applyAsDouble(w)).filter(d -> !d.isNaN()).toList());
    }

    private static double medianD(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String slug(String name) {
        return name.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", "").toLowerCase(Locale.ROOT);
    }

    private void line(String s) {
        report.append(s).append('\n');
    }
}
