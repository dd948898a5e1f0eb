package io.eventsink.service.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Unit test of the reachability rules with a small fake writer; the real queue is covered by SqsOutageTest. */
class ReachabilityTest {

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final ProbedWriter writer = new ProbedWriter();
    private final Reachability reachability = new Reachability(writer, timers, 3, Duration.ofMillis(20));

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    private static WriteFailure failure(WriteFailure.Kind kind) {
        return new WriteFailure(kind, kind + " happened", null);
    }

    @Test
    void unreachableAfterThreeConsecutiveFailuresThenProbedBackUp() {
        reachability.failed(failure(WriteFailure.Kind.UNREACHABLE));
        reachability.failed(failure(WriteFailure.Kind.UNREACHABLE));
        assertThat(reachability.reachable()).isTrue();
        reachability.failed(failure(WriteFailure.Kind.REFUSED));
        assertThat(reachability.reachable()).isFalse();
        assertThat(reachability.lastError()).isEqualTo("REFUSED happened");

        await().atMost(Duration.ofSeconds(5)).until(() -> writer.probes.get() >= 2);
        assertThat(reachability.reachable()).isFalse();
        writer.up.set(true);
        await().atMost(Duration.ofSeconds(5)).until(reachability::reachable);
    }

    @Test
    void aSuccessResetsTheCount() {
        reachability.failed(failure(WriteFailure.Kind.UNREACHABLE));
        reachability.failed(failure(WriteFailure.Kind.UNREACHABLE));
        reachability.succeeded();
        reachability.failed(failure(WriteFailure.Kind.UNREACHABLE));
        reachability.failed(failure(WriteFailure.Kind.UNREACHABLE));
        assertThat(reachability.reachable()).isTrue();
    }

    @Test
    void throttlingDoesNotMakeTheQueueUnreachable() {
        for (int i = 0; i < 10; i++) {
            reachability.failed(failure(WriteFailure.Kind.THROTTLED));
        }
        assertThat(reachability.reachable()).isTrue();
        assertThat(writer.probes.get()).isZero();
    }

    /** Answers probes as told; writes are not used here. */
    private static final class ProbedWriter implements BatchWriter {
        final AtomicBoolean up = new AtomicBoolean();
        final AtomicInteger probes = new AtomicInteger();

        @Override
        public int maxBatchEntries() {
            return 10;
        }

        @Override
        public int maxBatchBytes() {
            return 1 << 20;
        }

        @Override
        public List<EntryOutcome> write(List<io.eventsink.service.delivery.format.QueueMessage> batch) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void probe() throws WriteFailure {
            probes.incrementAndGet();
            if (!up.get()) {
                throw failure(WriteFailure.Kind.UNREACHABLE);
            }
        }

        @Override
        public String describe() {
            return "fake";
        }

        @Override
        public void close() {}
    }
}
