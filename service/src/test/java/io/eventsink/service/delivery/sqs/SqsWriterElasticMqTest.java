package io.eventsink.service.delivery.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventsink.embeddedsqs.EmbeddedSqs;
import io.eventsink.service.delivery.BatchWriter.EntryOutcome;
import io.eventsink.service.delivery.QueuedEvent;
import io.eventsink.service.delivery.WriteFailure;
import io.eventsink.service.delivery.format.EventMessages;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sqs.model.Message;

/** The hand-written SQS path against ElasticMQ, a real SQS-protocol server, read back with the AWS SDK. */
class SqsWriterElasticMqTest {

    private static EmbeddedSqs sqs;

    @BeforeAll
    static void start() {
        sqs = EmbeddedSqs.start();
    }

    @AfterAll
    static void stop() {
        sqs.close();
    }

    private static SqsWriter writer(String queueUrl) {
        SqsAddress address = SqsAddress.of(queueUrl, Optional.of(sqs.endpoint()), Optional.of(EmbeddedSqs.REGION));
        return new SqsWriter(
                address,
                new HelidonSqsTransport(address.endpoint(), 2),
                () -> StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(EmbeddedSqs.ACCESS_KEY, EmbeddedSqs.SECRET_KEY)));
    }

    @Test
    void aFullBatchIsStoredByteForByteWithItsAttributes() throws WriteFailure {
        String queue = sqs.createQueue("lean-writer");
        List<QueuedEvent> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String json = "{\"event\":\"heartbeat\",\"sessionId\":\"lw-" + i + " \u00e5\u00e4\u00f6 \uD83C\uDFAC"
                    + " \\\"q\\\" \\\\ \\n\",\n \"timestamp\":1.5e12}";
            batch.add(new QueuedEvent(
                    json,
                    "heartbeat",
                    "1.5e12",
                    1700000000000L + i,
                    i % 2 == 0 ? "https://p.example" : null,
                    i == 3 ? "shard_3" : null,
                    i == 4 ? "cmcd" : null,
                    json.getBytes(StandardCharsets.UTF_8).length));
        }
        try (SqsWriter writer = writer(queue)) {
            writer.probe();
            assertThat(writer.write(batch.stream().map(EventMessages::of).toList()))
                    .hasSize(10)
                    .containsOnly(EntryOutcome.DELIVERED);
        }
        Map<String, Message> stored = sqs.drain(queue, Duration.ofMillis(300)).stream()
                .collect(Collectors.toMap(Message::body, Function.identity()));
        assertThat(stored).hasSize(10);
        for (QueuedEvent e : batch) {
            Message m = stored.get(e.json());
            assertThat(m).as(e.json()).isNotNull();
            assertThat(m.messageAttributes().get("Event").stringValue()).isEqualTo("heartbeat");
            assertThat(m.messageAttributes().get("Time").stringValue()).isEqualTo("1.5e12");
            assertThat(m.messageAttributes().get("ReceivedAt").dataType()).isEqualTo("Number");
            assertThat(m.messageAttributes().get("ReceivedAt").stringValue())
                    .isEqualTo(Long.toString(e.receivedAtMs()));
            assertThat(m.messageAttributes().containsKey("Origin")).isEqualTo(e.origin() != null);
            assertThat(m.messageAttributes().containsKey("ShardId")).isEqualTo(e.shardId() != null);
            assertThat(m.messageAttributes().containsKey("Source")).isEqualTo(e.source() != null);
        }
    }

    @Test
    void aMissingQueueIsRefused() {
        try (SqsWriter writer = writer(sqs.endpoint() + "/000000000000/no-such-queue")) {
            assertThatThrownBy(writer::probe)
                    .isInstanceOfSatisfying(
                            WriteFailure.class, f -> assertThat(f.kind()).isEqualTo(WriteFailure.Kind.REFUSED));
            assertThatThrownBy(() -> writer.write(
                            List.of(EventMessages.of(new QueuedEvent("{}", "heartbeat", "1", 1, null, null, null, 2)))))
                    .isInstanceOfSatisfying(
                            WriteFailure.class, f -> assertThat(f.getMessage()).contains("QueueDoesNotExist"));
        }
    }
}
