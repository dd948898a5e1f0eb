package io.eventsink.bench;

import io.eventsink.service.delivery.BatchWriter.EntryOutcome;
import io.eventsink.service.delivery.QueuedEvent;
import io.eventsink.service.delivery.format.EventMessages;
import io.eventsink.service.delivery.format.PackedLines;
import io.eventsink.service.delivery.format.QueueMessage;
import io.eventsink.service.delivery.sqs.SqsAddress;
import io.eventsink.service.delivery.sqs.SqsMeters;
import io.eventsink.service.delivery.sqs.SqsTransport;
import io.eventsink.service.delivery.sqs.SqsWriter;
import io.eventsink.service.metrics.Meters;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * What one SendMessageBatch costs the service's CPU, network aside: the request written, SigV4-signed
 * by the SDK's signer, the answer read and every entry's MD5 checked — through the service's public
 * {@link SqsWriter} with an in-memory transport that answers as SQS does. Ten one-event messages (the
 * event format), one packed message of a full 64 KiB unit, and as yardsticks a bare SHA-256 of a call's
 * body and a bare SigV4 key derivation. Run: java -jar bench/jmh/target/eventsink-jmh.jar SqsCallBenchmark
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SqsCallBenchmark {

    private static final SqsAddress ADDRESS =
            SqsAddress.of("http://localhost:9324/000000000000/events", Optional.empty(), Optional.empty());

    private List<QueueMessage> tenEvents;
    private List<QueueMessage> onePack;
    private SqsWriter staticKeys;
    private SqsWriter defaultChain;
    private byte[] tenEventsBody;

    /** Answers every call as SQS would have, from answers prepared for the two calls measured. */
    private static final class CannedTransport implements SqsTransport {
        private final Map<Integer, byte[]> answers;

        CannedTransport(Map<Integer, byte[]> answers) {
            this.answers = answers;
        }

        @Override
        public Response post(Map<String, String> headers, byte[] body) {
            return new Response(200, answers.get(body.length), null);
        }

        @Override
        public void close() {}
    }

    @Setup
    public void setUp() throws Exception {
        tenEvents = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            tenEvents.add(EventMessages.of(heartbeat(i)));
        }
        StringBuilder ndjson = new StringBuilder();
        int events = 0;
        while (ndjson.length() < 65_536 - PackedLines.ATTRIBUTE_BYTES_MAX - 400) {
            ndjson.append(PackedLines.line(heartbeat(events++)));
        }
        onePack = List.of(
                QueueMessage.of(ndjson.toString(), ndjson.length(), PackedLines.attributes(events, false), events));
        Map<Integer, byte[]> answers = Map.of(
                requestLength(tenEvents), answer(tenEvents),
                requestLength(onePack), answer(onePack));
        var noMeters = new SqsMeters(Meters.discarding());
        Supplier<AwsCredentialsProvider> keys =
                () -> StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "y"));
        staticKeys = new SqsWriter(ADDRESS, new CannedTransport(answers), keys, noMeters);
        defaultChain = new SqsWriter(
                ADDRESS,
                new CannedTransport(answers),
                () -> DefaultCredentialsProvider.builder().build(),
                noMeters);
        tenEventsBody = new byte[requestLength(tenEvents)];
    }

    private static QueuedEvent heartbeat(int i) {
        String json = "{\"event\":\"heartbeat\",\"sessionId\":\"3f1c2a9e-7d1b-4c55-9a61-0c2b7f3e9d10\","
                + "\"timestamp\":170000000" + (i % 10) + "000,\"playhead\":125000,\"duration\":600000}";
        return new QueuedEvent(
                json, "heartbeat", "170000000" + (i % 10) + "000", 1700000000000L + i, null, null, null, json.length());
    }

    /** The length of the SendMessageBatch request the writer makes for these messages (how the transport tells them apart). */
    private static int requestLength(List<QueueMessage> messages) throws Exception {
        int[] length = new int[1];
        SqsTransport recorder = new SqsTransport() {
            @Override
            public Response post(Map<String, String> headers, byte[] body) {
                length[0] = body.length;
                return new Response(500, new byte[0], null);
            }

            @Override
            public void close() {}
        };
        try {
            new SqsWriter(
                            ADDRESS,
                            recorder,
                            () -> StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "y")))
                    .write(messages);
        } catch (Exception expected) {
            // the recorder's 500: only the request's length was wanted
        }
        return length[0];
    }

    private static byte[] answer(List<QueueMessage> messages) throws Exception {
        StringBuilder out = new StringBuilder("{\"Successful\":[");
        for (int i = 0; i < messages.size(); i++) {
            String md5 = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("MD5")
                            .digest(messages.get(i).body().getBytes(StandardCharsets.UTF_8)));
            out.append(i == 0 ? "" : ",")
                    .append("{\"Id\":\"")
                    .append(i)
                    .append("\",\"MessageId\":\"m")
                    .append(i)
                    .append("\",\"MD5OfMessageBody\":\"")
                    .append(md5)
                    .append("\"}");
        }
        return out.append("],\"Failed\":[]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public List<EntryOutcome> tenEventMessages() throws Exception {
        return staticKeys.write(tenEvents);
    }

    @Benchmark
    public List<EntryOutcome> tenEventMessagesDefaultChain() throws Exception {
        return defaultChain.write(tenEvents);
    }

    @Benchmark
    public List<EntryOutcome> onePackedMessage() throws Exception {
        return staticKeys.write(onePack);
    }

    @Benchmark
    public byte[] sha256OfTenEventCall() throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(tenEventsBody);
    }

    @Benchmark
    public byte[] sigV4KeyDerivation() throws Exception {
        byte[] k = "AWS4y".getBytes(StandardCharsets.UTF_8);
        for (String s : new String[] {
            "20261130",
            "us-east-1",
            "sqs",
            "aws4_request",
            "string to sign of some length 0123456789abcdef0123456789abcdef"
        }) {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(k, "HmacSHA256"));
            k = mac.doFinal(s.getBytes(StandardCharsets.UTF_8));
        }
        return k;
    }
}
