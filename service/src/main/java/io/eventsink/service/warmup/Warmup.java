package io.eventsink.service.warmup;

import io.eventsink.service.delivery.BatchWriter;
import io.eventsink.service.delivery.sqs.HelidonSqsTransport;
import io.eventsink.service.delivery.sqs.SqsAddress;
import io.eventsink.service.delivery.sqs.SqsMeters;
import io.eventsink.service.delivery.sqs.SqsWriter;
import io.eventsink.service.metrics.Meters;
import io.eventsink.service.warmup.WarmupProgress.Stage;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Before a pod reports ready, it drives its own request path — HTTP, validation, CMCD mapping,
 * packing and batching, SigV4 signing, the SQS JSON protocol — on a listener of its own whose queue is
 * an in-process stand-in ({@link QueueStandIn}), until that path runs at full speed: the requests per
 * second have levelled off and the JIT compiler has little left to do. The compiled code is the
 * process's, so the real listener serves its first player at full speed. Bounded by WARMUP_TIMEOUT_MS.
 */
public final class Warmup {

    /** A listener built like the public one, writing to the given writer, its meters discarded. */
    public interface Target extends AutoCloseable {
        int port();

        @Override
        void close();
    }

    /** Builds a {@link Target} the same way the public listener is built. */
    @FunctionalInterface
    public interface TargetFactory {
        Target start(BatchWriter writer);
    }

    private static final System.Logger LOG = System.getLogger(Warmup.class.getName());
    private static final long WINDOW_NANOS = Duration.ofMillis(500).toNanos();
    /** Never judged done before this much load (the first windows are all compilation). */
    private static final long MIN_NANOS = Duration.ofSeconds(2).toNanos();
    /** Levelled off: this many windows in a row ... */
    private static final int PLATEAU_WINDOWS = 4;
    /** ... each within this share of the best window so far ... */
    private static final double PLATEAU_SHARE = 0.85;
    /** ... with the JIT compiling at most this share of the time. */
    private static final double JIT_SHARE_MAX = 0.25;

    private static final int CONCURRENCY = 16;

    private Warmup() {}

    /** Runs the warm-up on a thread of its own; {@code progress} says when it ended. */
    public static Thread inBackground(TargetFactory factory, Duration timeout, WarmupProgress progress) {
        return Thread.ofPlatform().daemon().name("eventsink-warmup").start(() -> run(factory, timeout, progress));
    }

    static void run(TargetFactory factory, Duration timeout, WarmupProgress progress) {
        progress.started();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (QueueStandIn queue = QueueStandIn.start();
                Target target = factory.start(writer(queue));
                WarmupLoad load = new WarmupLoad(target.port(), CONCURRENCY)) {
            Stage how = drive(load, deadline, progress);
            progress.ended(how, how == Stage.TIMED_OUT ? "not levelled off within " + timeout.toMillis() + " ms" : "");
            LOG.log(
                    System.Logger.Level.INFO,
                    "Warm-up " + (how == Stage.DONE ? "done" : "timed out") + " in "
                            + Math.round(progress.seconds() * 1000) + " ms: " + load.answered() + " requests, "
                            + queue.calls() + " queue calls, " + load.unexpected() + " unexpected answers");
        } catch (RuntimeException e) {
            progress.ended(Stage.FAILED, e.toString());
            LOG.log(System.Logger.Level.WARNING, "Warm-up failed, serving without it", e);
        }
    }

    /** Windows of load until the path runs at full speed or the deadline passes. */
    private static Stage drive(WarmupLoad load, long deadline, WarmupProgress progress) {
        Optional<CompilationMXBean> jit = Optional.ofNullable(ManagementFactory.getCompilationMXBean())
                .filter(CompilationMXBean::isCompilationTimeMonitoringSupported);
        long start = System.nanoTime();
        long lastAt = start;
        long lastAnswered = 0;
        long lastJitMs = jit.map(CompilationMXBean::getTotalCompilationTime).orElse(0L);
        double best = 0;
        int level = 0;
        while (System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(WINDOW_NANOS);
            long now = System.nanoTime();
            long answered = load.answered();
            long jitMs = jit.map(CompilationMXBean::getTotalCompilationTime).orElse(0L);
            double rate = (answered - lastAnswered) * 1e9 / (now - lastAt);
            double jitShare = (jitMs - lastJitMs) * 1e6 / (now - lastAt);
            progress.window(answered, rate, jitShare);
            best = Math.max(best, rate);
            boolean steady = rate >= PLATEAU_SHARE * best && (jit.isEmpty() || jitShare <= JIT_SHARE_MAX);
            level = steady ? level + 1 : 0;
            if (level >= PLATEAU_WINDOWS && now - start >= MIN_NANOS) {
                return Stage.DONE;
            }
            lastAt = now;
            lastAnswered = answered;
            lastJitMs = jitMs;
        }
        return Stage.TIMED_OUT;
    }

    /** The production writer's code, pointed at the stand-in and signing with throwaway keys. */
    private static BatchWriter writer(QueueStandIn queue) {
        SqsAddress address = SqsAddress.of(queue.queueUrl(), Optional.of(queue.endpoint()), Optional.of("us-east-1"));
        StaticCredentialsProvider keys =
                StaticCredentialsProvider.create(AwsBasicCredentials.create("WARMUPKEY", "warmup-secret"));
        return new SqsWriter(
                address,
                new HelidonSqsTransport(URI.create(queue.endpoint()), CONCURRENCY),
                () -> keys,
                new SqsMeters(Meters.discarding()));
    }
}
