package io.eventsink.service.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventsink.service.delivery.BatchWriter.EntryOutcome;
import io.eventsink.service.delivery.format.MessageAttribute;
import io.eventsink.service.delivery.format.MessageFormat;
import io.eventsink.service.delivery.format.QueueMessage;
import io.helidon.metrics.api.Metrics;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packed format in the pipeline: when packs go, how full they are, and that every guarantee of
 * the event format holds per event (acknowledged only once its message was stored; a failed message
 * retries all its events).
 */
class PackedDeliveryTest {

    /** Records each call; holds it until released when asked to; answers as the test says per message. */
    static final class ScriptedWriter implements BatchWriter {
        final LinkedBlockingQueue<List<QueueMessage>> calls = new LinkedBlockingQueue<>();
        final Semaphore release = new Semaphore(0);
        volatile boolean hold;
        volatile Function<QueueMessage, EntryOutcome> answer = m -> EntryOutcome.DELIVERED;

        @Override
        public int maxBatchEntries() {
            return 10;
        }

        @Override
        public int maxBatchBytes() {
            return 1024 * 1024;
        }

        @Override
        public List<EntryOutcome> write(List<QueueMessage> batch) {
            calls.add(batch);
            if (hold) {
                release.acquireUninterruptibly();
            }
            return batch.stream().map(m -> answer.apply(m)).toList();
        }

        @Override
        public void probe() {}

        @Override
        public String describe() {
            return "scripted";
        }

        @Override
        public void close() {}

        List<QueueMessage> nextCall() throws InterruptedException {
            List<QueueMessage> call = calls.poll(10, TimeUnit.SECONDS);
            assertThat(call).as("a call was made").isNotNull();
            return call;
        }

        List<QueueMessage> allMessages() {
            List<QueueMessage> all = new ArrayList<>();
            calls.forEach(all::addAll);
            return all;
        }
    }

    private final ScriptedWriter writer = new ScriptedWriter();
    private DeliveryPipeline pipeline;

    private DeliveryPipeline pipeline(MessageFormat format) {
        pipeline = new DeliveryPipeline(
                writer,
                format,
                new DeliveryMetrics(Metrics.globalRegistry()),
                100_000,
                Duration.ofMillis(2),
                4,
                Duration.ofSeconds(30));
        return pipeline;
    }

    @AfterEach
    void close() {
        writer.hold = false;
        writer.release.release(10_000);
        if (pipeline != null) {
            pipeline.drain(Duration.ofSeconds(5));
        }
    }

    private static QueuedEvent event(int i, int padding) {
        String json = "{\"event\":\"heartbeat\",\"sessionId\":\"s-" + i + "\",\"timestamp\":" + (1700000000000L + i)
                + ",\"playhead\":0,\"duration\":-1,\"pad\":\"" + "x".repeat(padding) + "\"}";
        return new QueuedEvent(
                json,
                "heartbeat",
                Long.toString(1700000000000L + i),
                1700000000999L,
                "https://o.example",
                null,
                null,
                json.length());
    }

    private static Map<String, String> attributes(QueueMessage m) {
        return m.attributes().stream().collect(Collectors.toMap(MessageAttribute::name, MessageAttribute::value));
    }

    private static List<JsonObject> lines(QueueMessage m) {
        String ndjson = "gzip".equals(attributes(m).get("ContentEncoding")) ? gunzip(m.body()) : m.body();
        assertThat(ndjson).endsWith("\n");
        List<JsonObject> lines = new ArrayList<>();
        for (String line : ndjson.split("\n")) {
            lines.add(Json.createReader(new StringReader(line)).readObject());
        }
        assertThat(attributes(m)).containsEntry("Format", "epas-ndjson").containsEntry("EventCount", "" + lines.size());
        assertThat(m.eventCount()).isEqualTo(lines.size());
        return lines;
    }

    private static String gunzip(String base64) {
        try (GZIPInputStream in =
                new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(base64)))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<CompletableFuture<Void>> submit(int from, int count, int padding) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            done.add(pipeline.submit(event(i, padding)));
        }
        return done;
    }

    private static void allStored(List<CompletableFuture<Void>> done) throws Exception {
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void anIdleSinkSendsALoneEventAtOnceInAPackOfOne() throws Exception {
        pipeline(MessageFormat.packed(65536, Duration.ofSeconds(30), false));
        CompletableFuture<Void> done = pipeline.submit(event(0, 0));
        QueueMessage message = writer.nextCall().getFirst();
        JsonObject line = lines(message).getFirst();
        assertThat(line.getJsonNumber("receivedAt").longValue()).isEqualTo(1700000000999L);
        assertThat(line.getString("origin")).isEqualTo("https://o.example");
        assertThat(line.containsKey("source")).isFalse();
        assertThat(line.getJsonObject("epas").toString()).isEqualTo(event(0, 0).json());
        assertThat(message.payloadBytes())
                .isEqualTo(message.body().getBytes(StandardCharsets.UTF_8).length
                        + "Format".length()
                        + "String".length()
                        + "epas-ndjson".length()
                        + "EventCount".length()
                        + "Number".length()
                        + 1);
        done.get(10, TimeUnit.SECONDS);
    }

    @Test
    void onceBusyEventsWaitForTheLingerAndGoTogetherInOneMessage() throws Exception {
        Duration linger = Duration.ofMillis(300);
        pipeline(MessageFormat.packed(65536, linger, false));
        writer.hold = true;
        List<CompletableFuture<Void>> first = submit(0, 1, 0);
        writer.nextCall();
        long submitted = System.nanoTime();
        List<CompletableFuture<Void>> five = submit(1, 5, 0);
        List<QueueMessage> call = writer.nextCall();
        assertThat(System.nanoTime() - submitted).isGreaterThanOrEqualTo(linger.toNanos());
        assertThat(call)
                .singleElement()
                .satisfies(m -> assertThat(lines(m))
                        .extracting(l -> l.getJsonObject("epas").getString("sessionId"))
                        .containsExactly("s-1", "s-2", "s-3", "s-4", "s-5"));
        assertThat(five).noneMatch(CompletableFuture::isDone);
        writer.release.release(2);
        allStored(five);
        allStored(first);
    }

    @Test
    void betweenCallsAPackWhoseEventsStoppedArrivingGoesWithoutWaitingOutTheLinger() throws Exception {
        // clients that wait for their answer send nothing more: waiting the linger would only idle
        pipeline(MessageFormat.packed(65536, Duration.ofSeconds(60), false));
        writer.hold = true;
        List<CompletableFuture<Void>> done = submit(0, 1, 0);
        writer.nextCall();
        done.addAll(submit(1, 200, 0));
        assertThat(writer.calls).as("a call is in flight: the pack waits").isEmpty();
        long released = System.nanoTime();
        writer.hold = false;
        writer.release.release();
        assertThat(writer.nextCall())
                .singleElement()
                .satisfies(m -> assertThat(m.eventCount()).isEqualTo(200));
        assertThat(System.nanoTime() - released)
                .isLessThan(Duration.ofSeconds(30).toNanos());
        allStored(done);
    }

    @Test
    void packsFillWholeBillingUnitsAndNeverExceedTheirSize() throws Exception {
        pipeline(MessageFormat.packed(65536, Duration.ofSeconds(1), false));
        writer.hold = true;
        List<CompletableFuture<Void>> done = submit(0, 1, 0);
        writer.nextCall();
        // while the first call is held, about three units' worth arrive
        done.addAll(submit(1, 700, 150));
        writer.hold = false;
        writer.release.release(100);
        allStored(done);
        assertThat(pipeline.pending()).isZero();
        List<QueueMessage> packs = writer.allMessages();
        int maxLine = event(700, 150).json().length() + 100;
        assertThat(packs).allSatisfy(m -> assertThat(m.payloadBytes()).isLessThanOrEqualTo(65536));
        assertThat(packs.subList(0, packs.size() - 1))
                .as("every pack but the last is full")
                .allSatisfy(m -> assertThat(m.payloadBytes()).isGreaterThan(65536 - maxLine));
        assertThat(packs.stream().mapToInt(m -> lines(m).size()).sum()).isEqualTo(700);
    }

    @Test
    void aMessageTheQueueFailsRetriesEveryEventInItAndAcknowledgesEachOnceStored() throws Exception {
        pipeline(MessageFormat.packed(65536, Duration.ofMillis(50), false));
        List<Boolean> failedOnce = Collections.synchronizedList(new ArrayList<>());
        writer.answer = m -> {
            if (failedOnce.isEmpty() && m.eventCount() > 1) {
                failedOnce.add(true);
                return EntryOutcome.RETRY;
            }
            return EntryOutcome.DELIVERED;
        };
        writer.hold = true;
        List<CompletableFuture<Void>> done = submit(0, 1, 0);
        writer.nextCall();
        done.addAll(submit(1, 20, 0));
        writer.hold = false;
        writer.release.release(10);
        allStored(done);
        List<String> stored = new ArrayList<>();
        for (List<QueueMessage> call : writer.calls) {
            for (QueueMessage m : call) {
                lines(m).forEach(l -> stored.add(l.getJsonObject("epas").getString("sessionId")));
            }
        }
        // after the first call: the failed pack's twenty went twice, once failed and once stored
        assertThat(stored).hasSize(20 + 20);
        assertThat(failedOnce).hasSize(1);
    }

    @Test
    void aPackTheQueueRefusesIsSentAgainEventByEventSoOnlyTheBadOneFails() throws Exception {
        pipeline(MessageFormat.packed(65536, Duration.ofMillis(50), false));
        writer.answer = m -> m.body().contains("\"s-7\"") ? EntryOutcome.REJECTED : EntryOutcome.DELIVERED;
        writer.hold = true;
        List<CompletableFuture<Void>> done = submit(0, 1, 0);
        writer.nextCall();
        done.addAll(submit(1, 10, 0));
        writer.hold = false;
        writer.release.release(10);
        for (int i = 0; i < done.size(); i++) {
            CompletableFuture<Void> f = done.get(i);
            if (i == 7) {
                assertThat(f)
                        .failsWithin(Duration.ofSeconds(10))
                        .withThrowableOfType(ExecutionException.class)
                        .havingCause()
                        .isInstanceOfSatisfying(
                                DeliveryException.class,
                                e -> assertThat(e.reason()).isEqualTo(DeliveryException.Reason.REJECTED));
            } else {
                f.get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void gzipPacksAreBase64OfAGzipStreamAndAPackThatCompressesWorseThanExpectedIsSplit() throws Exception {
        pipeline(MessageFormat.packed(65536, Duration.ofSeconds(1), true));
        writer.hold = true;
        List<CompletableFuture<Void>> done = submit(0, 1, 0);
        writer.nextCall();
        // random padding hardly compresses: the first estimate is too hopeful
        Random random = new Random(7);
        for (int i = 1; i <= 600; i++) {
            StringBuilder pad = new StringBuilder();
            for (int k = 0; k < 300; k++) {
                pad.append((char) ('a' + random.nextInt(26)));
            }
            String json = "{\"event\":\"heartbeat\",\"sessionId\":\"s-" + i + "\",\"pad\":\"" + pad + "\"}";
            done.add(pipeline.submit(new QueuedEvent(json, "heartbeat", "1", 1, null, null, "cmcd", json.length())));
        }
        writer.hold = false;
        writer.release.release(100);
        allStored(done);
        List<QueueMessage> packs = writer.allMessages();
        assertThat(packs).allSatisfy(m -> {
            assertThat(m.payloadBytes()).isLessThanOrEqualTo(65536);
            assertThat(attributes(m)).containsEntry("ContentEncoding", "gzip");
            assertThat(lines(m))
                    .allSatisfy(l -> assertThat(l.getString("source")).isEqualTo("cmcd"));
        });
        assertThat(packs.stream().mapToInt(m -> lines(m).size()).sum()).isEqualTo(600);
    }
}
