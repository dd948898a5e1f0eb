package io.eventsink.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventsink.embeddedsqs.EmbeddedSqs;
import io.eventsink.service.epas.EventValidatorFuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A sample of the fuzzer's valid events through the real service into ElasticMQ: each is
 * answered 200 and arrives in the queue byte-identical (the body is never re-serialised).
 */
class ValidatorQueueRoundTripTest {

    @Test
    void generatedValidEventsArriveInTheQueueByteIdentical() {
        List<String> sent = EventValidatorFuzzTest.validEventBodies()
                .sampleStream()
                .limit(60)
                .map(b -> new String(b, StandardCharsets.UTF_8))
                .distinct()
                .toList();
        try (EmbeddedSqs sqs = EmbeddedSqs.start()) {
            String queue = sqs.createQueue("fuzz-roundtrip");
            try (RunningSink sink = RunningSink.sqs(sqs, queue, Map.of())) {
                for (String body : sent) {
                    assertThat(sink.post(body).statusCode()).as(body).isEqualTo(200);
                }
            }
            Set<String> received = new HashSet<>();
            for (Message m : sqs.drain(queue, Duration.ofMillis(500))) {
                received.add(m.body());
            }
            assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
        }
    }
}
