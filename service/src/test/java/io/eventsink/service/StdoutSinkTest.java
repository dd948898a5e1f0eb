package io.eventsink.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventsink.service.delivery.StdoutBatchWriter;
import jakarta.json.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** QUEUE_TYPE=stdout: one JSON line per accepted event. */
class StdoutSinkTest {

    @Test
    void writesOneParsableLinePerEvent() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String multiLine =
                "{\n \"event\":\"stopped\",\r\n \"sessionId\":\"line\\nbreak\",\"timestamp\":1,\"playhead\":2,"
                        + "\"duration\":3,\"payload\":{\"reason\":\"ended\"}\n}";
        try (RunningSink sink = RunningSink.with(new StdoutBatchWriter(out), Map.of())) {
            assertThat(sink.post(Events.heartbeat("o1", 1)).statusCode()).isEqualTo(200);
            assertThat(sink.post(multiLine).statusCode()).isEqualTo(200);
            assertThat(sink.post("{bad").statusCode()).isEqualTo(400);
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).isEqualTo(Events.heartbeat("o1", 1));
        var stopped = Json.createReader(new java.io.StringReader(lines[1])).readObject();
        assertThat(stopped.getString("sessionId")).isEqualTo("line\nbreak");
        assertThat(stopped.getJsonObject("payload").getString("reason")).isEqualTo("ended");
    }

    @Test
    void isTheDefaultWithoutAQueueUrl() {
        Settings settings = RunningSink.settings(Map.of());
        assertThat(settings.queueType()).isEqualTo(Settings.QueueType.STDOUT);
        assertThat(RunningSink.settings(Map.of("SQS_QUEUE_URL", "http://q")).queueType())
                .isEqualTo(Settings.QueueType.SQS);
    }
}
