package io.eventsink.service.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventsink.service.delivery.format.QueueMessage;
import io.helidon.metrics.api.Metrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit without a dispatcher: when batches start and how full they are. The writer holds
 * each call until the test lets it end, so "in flight" is under the test's control.
 */
class DeliveryPipelineBatchingTest {

    /** Records each batch it is given and ends a call only when released. */
    static final class HeldWriter implements BatchWriter {
        final LinkedBlockingQueue<List<QueueMessage>> calls = new LinkedBlockingQueue<>();
        final List<Long> callStartNanos = Collections.synchronizedList(new ArrayList<>());
        final Semaphore release = new Semaphore(0);

        @Override
        public int maxBatchEntries() {
            return 10;
        }

        @Override
        public int maxBatchBytes() {
            return 256 * 1024;
        }

        @Override
        public List<EntryOutcome> write(List<QueueMessage> batch) {
            callStartNanos.add(System.nanoTime());
            calls.add(batch);
            release.acquireUninterruptibly();
            return Collections.nCopies(batch.size(), EntryOutcome.DELIVERED);
        }

        @Override
        public void probe() {}

        @Override
        public String describe() {
            return "held";
        }

        @Override
        public void close() {}

        List<QueueMessage> nextCall() throws InterruptedException {
            List<QueueMessage> call = calls.poll(10, TimeUnit.SECONDS);
            assertThat(call).as("a batch was written").isNotNull();
            return call;
        }
    }

    private final HeldWriter writer = new HeldWriter();
    private DeliveryPipeline pipeline;

    private DeliveryPipeline pipeline(Duration linger, int maxInflight) {
        pipeline = new DeliveryPipeline(
                writer,
                new DeliveryMetrics(Metrics.globalRegistry()),
                10_000,
                linger,
                maxInflight,
                Duration.ofSeconds(60));
        return pipeline;
    }

    @AfterEach
    void close() {
        writer.release.release(1000);
        if (pipeline != null) {
            pipeline.drain(Duration.ofSeconds(5));
        }
    }

    private static QueuedEvent event(int i) {
        return new QueuedEvent("{\"n\":" + i + "}", "heartbeat", "1", 0, null, null, null, 8);
    }

    private static List<CompletableFuture<Void>> submit(DeliveryPipeline p, int from, int count) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            done.add(p.submit(event(i)));
        }
        return done;
    }

    @Test
    void anIdleSinkSendsALoneEventAtOnceWithoutWaitingForTheLinger() throws Exception {
        DeliveryPipeline p = pipeline(Duration.ofSeconds(30), 4);
        CompletableFuture<Void> done = p.submit(event(0));

        assertThat(writer.nextCall()).extracting(QueueMessage::body).containsExactly(event(0).json());
        assertThat(done).isNotDone();
        writer.release.release();
        done.get(10, TimeUnit.SECONDS);
    }

    @Test
    void whileABatchIsInFlightAFullOneGoesAtOnceAndItsEventsAreAcknowledgedTogether() throws Exception {
        DeliveryPipeline p = pipeline(Duration.ofSeconds(30), 4);
        List<CompletableFuture<Void>> first = submit(p, 0, 1);
        assertThat(writer.nextCall()).hasSize(1);

        List<CompletableFuture<Void>> next = submit(p, 1, 10);
        // ten waiting fill a batch: it goes long before the 30 s linger, beside the first call
        List<QueueMessage> second = writer.nextCall();
        assertThat(second)
                .extracting(QueueMessage::body)
                .containsExactly(
                        "{\"n\":1}",
                        "{\"n\":2}",
                        "{\"n\":3}",
                        "{\"n\":4}",
                        "{\"n\":5}",
                        "{\"n\":6}",
                        "{\"n\":7}",
                        "{\"n\":8}",
                        "{\"n\":9}",
                        "{\"n\":10}");
        assertThat(first.get(0)).isNotDone();
        writer.release.release(2);
        CompletableFuture.allOf(next.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        first.get(0).get(10, TimeUnit.SECONDS);
    }

    @Test
    void whileABatchIsInFlightAPartialOneWaitsForTheLingerThenGoes() throws Exception {
        Duration linger = Duration.ofMillis(300);
        DeliveryPipeline p = pipeline(linger, 4);
        submit(p, 0, 1);
        writer.nextCall();

        long submitted = System.nanoTime();
        List<CompletableFuture<Void>> three = submit(p, 1, 3);
        assertThat(writer.nextCall()).hasSize(3);
        long waited = writer.callStartNanos.get(1) - submitted;
        assertThat(waited).as("the partial batch waited for the linger").isGreaterThanOrEqualTo(linger.toNanos());
        writer.release.release(2);
        CompletableFuture.allOf(three.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aCallThatEndsSendsTheWaitingEventsWhenNothingElseIsInFlight() throws Exception {
        DeliveryPipeline p = pipeline(Duration.ofSeconds(30), 4);
        submit(p, 0, 1);
        writer.nextCall();
        List<CompletableFuture<Void>> two = submit(p, 1, 2);
        assertThat(writer.calls).isEmpty();

        // the first call ends: the sink is idle again, so the two go without the linger
        writer.release.release();
        assertThat(writer.nextCall()).hasSize(2);
        writer.release.release();
        CompletableFuture.allOf(two.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void atMostMaxInflightBatchesAreOnTheWire() throws Exception {
        DeliveryPipeline p = pipeline(Duration.ZERO, 2);
        List<CompletableFuture<Void>> all = submit(p, 0, 30);
        writer.nextCall();
        writer.nextCall();
        // two held calls: the rest waits
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> writer.calls.isEmpty());
        assertThat(p.pending()).isEqualTo(30);

        writer.release.release();
        writer.nextCall();
        writer.release.release(100);
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(p.pending()).isZero();
    }

    @Test
    void drainingFailsWhatIsStillWaitingSoNoRequestHangs() throws Exception {
        DeliveryPipeline p = pipeline(Duration.ZERO, 1);
        CompletableFuture<Void> inFlight = p.submit(event(0));
        writer.nextCall();
        // the one permitted call is held: this event waits
        CompletableFuture<Void> waiting = p.submit(event(1));

        assertThat(p.drain(Duration.ofMillis(200))).as("left undelivered").isEqualTo(2);
        assertThat(waiting)
                .failsWithin(Duration.ofSeconds(1))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(
                        DeliveryException.class,
                        e -> assertThat(e.reason()).isEqualTo(DeliveryException.Reason.SHUTTING_DOWN));
        assertThat(p.submit(event(2))).isCompletedExceptionally();
        // the call on the wire still ends in an answer
        writer.release.release();
        inFlight.get(10, TimeUnit.SECONDS);
        assertThat(writer.calls).isEmpty();
    }
}
