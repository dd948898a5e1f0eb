package io.eventsink.bench;

import io.eventsink.service.epas.EventValidator;
import io.eventsink.service.epas.ValidationResult;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Validation cost per event: the part of the request path that is ours alone (HTTP parsing is
 * Helidon's, delivery waits on the queue). Run: java -jar bench/jmh/target/eventsink-jmh.jar
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ValidatorBenchmark {

    private final EventValidator validator = new EventValidator(
            32, java.util.regex.Pattern.compile(io.eventsink.settings.ServiceSettings.SHARD_ID_PATTERN_DEFAULT));
    private final byte[] heartbeat = ("{\"event\":\"heartbeat\",\"sessionId\":\"3f1c2a9e-7d1b-4c55-9a61-0c2b7f3e9d10\","
                    + "\"timestamp\":1700000005000,\"playhead\":125000,\"duration\":600000}")
            .getBytes(StandardCharsets.UTF_8);
    private final byte[] metadata = ("{\"event\":\"metadata\",\"sessionId\":\"3f1c2a9e-7d1b-4c55-9a61-0c2b7f3e9d10\","
                    + "\"timestamp\":1700000000100,\"playhead\":0,\"duration\":600000,\"shardId\":\"eu-1\",\"payload\":{"
                    + "\"live\":false,\"contentTitle\":\"Big Buck Bunny\",\"contentId\":\"bbb\","
                    + "\"contentUrl\":\"https://cdn.example/bbb.m3u8\",\"drmType\":\"widevine\",\"userId\":\"u1\","
                    + "\"deviceId\":\"d1\",\"deviceModel\":\"Pixel 8\",\"deviceType\":\"mobile\"}}")
            .getBytes(StandardCharsets.UTF_8);
    private final byte[] invalid =
            "{\"event\":\"pause\",\"sessionId\":\"s\",\"timestamp\":\"x\"}".getBytes(StandardCharsets.UTF_8);

    @Benchmark
    public ValidationResult heartbeat() {
        return validator.validate(heartbeat);
    }

    @Benchmark
    public ValidationResult metadataWithPayload() {
        return validator.validate(metadata);
    }

    @Benchmark
    public ValidationResult invalidEvent() {
        return validator.validate(invalid);
    }
}
