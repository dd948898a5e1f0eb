package io.eventsink.service.delivery.sqs;

import io.eventsink.service.delivery.QueuedEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * What SigV4 signing costs per SendMessageBatch call of ten events: the SDK's signer as the service
 * calls it ({@link SqsSigner}, in its package to reach it), with static credentials and with the
 * default chain (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), against a bare SHA-256 of the body
 * and a bare HMAC key derivation. Run: java -jar bench/jmh/target/eventsink-jmh.jar SigningBenchmark
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SigningBenchmark {
    private final SqsAddress address =
            SqsAddress.of("http://localhost:9324/000000000000/events", Optional.empty(), Optional.empty());
    private final SqsSigner staticSigner =
            new SqsSigner(address, () -> StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "y")));
    private final SqsSigner defaultSigner =
            new SqsSigner(address, () -> DefaultCredentialsProvider.builder().build());
    /** A real SendMessageBatch request body of ten heartbeats. */
    private final byte[] body = SqsJson.sendMessageBatch(
            address.queueUrl(),
            IntStream.range(0, 10)
                    .mapToObj(i -> new QueuedEvent(
                            "{\"event\":\"heartbeat\",\"sessionId\":\"3f1c2a9e-7d1b-4c55-9a61-0c2b7f3e9d10\","
                                    + "\"timestamp\":170000000" + i + "000,\"playhead\":125000,\"duration\":600000}",
                            "heartbeat",
                            "170000000" + i + "000",
                            1700000000000L + i,
                            null,
                            null,
                            null,
                            120))
                    .toList());

    @Benchmark
    public Map<String, String> signStatic() {
        return staticSigner.sign(SqsJson.SEND_MESSAGE_BATCH, body);
    }

    @Benchmark
    public Map<String, String> signDefaultChain() {
        return defaultSigner.sign(SqsJson.SEND_MESSAGE_BATCH, body);
    }

    @Benchmark
    public byte[] sha256() throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(body);
    }

    @Benchmark
    public byte[] hmacChain() throws Exception {
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
