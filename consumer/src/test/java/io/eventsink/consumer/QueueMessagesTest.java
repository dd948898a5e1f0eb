package io.eventsink.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The reader against messages written by hand from docs/queue-format.md. */
class QueueMessagesTest {

    private static final String HEARTBEAT =
            "{\"event\":\"heartbeat\",\"sessionId\":\"s-1\",\"timestamp\":1.7000000055e12,\"playhead\":5,\"duration\":-1}";
    private static final String TRICKY = "{ \"event\" : \"error\", \"sessionId\":\"\u00e5 \\\"}{\\\" \uD83C\uDFAC\","
            + "\"timestamp\":1700000000000,\"playhead\":0,\"duration\":-1,\"shardId\":\"eu\\u002d1\","
            + "\"payload\":{\"code\":\"x\",\"data\":{\"a\":[1,{\"b\":\"]}\"},null,true,-0.5e-3]}}}";

    @Test
    void anEventFormatMessageIsItsBodyWithItsAttributes() throws Exception {
        List<QueueEvent> events = QueueMessages.read(
                HEARTBEAT,
                Map.of("Event", "heartbeat", "Time", "1.7000000055e12", "ReceivedAt", "1700000005123", "Other", "x"));
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.json()).isEqualTo(HEARTBEAT);
            assertThat(e.attributes()).containsOnlyKeys("Event", "Time", "ReceivedAt");
            assertThat(e.receivedAtMs()).isEqualTo(1700000005123L);
        });
    }

    @Test
    void aPackedMessageGivesEachEventWithTheAttributesTheEventFormatWouldHaveCarried() throws Exception {
        String body = "{\"receivedAt\":1700000005123,\"epas\":" + HEARTBEAT + "}\n"
                + "{\"receivedAt\":1700000005124,\"origin\":\"https://a.example/\\\"x\",\"source\":\"cmcd\",\"epas\":"
                + TRICKY + "}\n";
        List<QueueEvent> events = QueueMessages.read(body, Map.of("Format", "epas-ndjson", "EventCount", "2"));
        assertThat(events).hasSize(2);
        assertThat(events.get(0).json()).isEqualTo(HEARTBEAT);
        assertThat(events.get(0).attributes())
                .isEqualTo(Map.of("Event", "heartbeat", "Time", "1.7000000055e12", "ReceivedAt", "1700000005123"));
        QueueEvent second = events.get(1);
        assertThat(second.json()).isEqualTo(TRICKY);
        assertThat(second.eventName()).isEqualTo("error");
        assertThat(second.origin()).contains("https://a.example/\"x");
        assertThat(second.source()).contains("cmcd");
        assertThat(second.shardId()).contains("eu-1");
        assertThat(second.attributes()).containsEntry("Time", "1700000000000");
    }

    @Test
    void aGzipPackIsReadThroughItsBase64() throws Exception {
        String ndjson = "{\"receivedAt\":1,\"epas\":" + HEARTBEAT + "}\n";
        List<QueueEvent> events = QueueMessages.read(
                gzipBase64(ndjson), Map.of("Format", "epas-ndjson", "EventCount", "1", "ContentEncoding", "gzip"));
        assertThat(events).extracting(QueueEvent::json).containsExactly(HEARTBEAT);
    }

    @Test
    void damagedOrForeignMessagesAreRefusedWithAReason() {
        Map<String, String> packed = Map.of("Format", "epas-ndjson", "EventCount", "2");
        String one = "{\"receivedAt\":1,\"epas\":" + HEARTBEAT + "}\n";
        assertThatThrownBy(() -> QueueMessages.read(one, packed))
                .isInstanceOf(UnreadableMessageException.class)
                .hasMessageContaining("EventCount 2 but 1 lines");
        assertThatThrownBy(() -> QueueMessages.read(one, Map.of("Format", "avro")))
                .hasMessageContaining("unknown Format");
        assertThatThrownBy(() -> QueueMessages.read(
                        "not base64!", Map.of("Format", "epas-ndjson", "EventCount", "1", "ContentEncoding", "gzip")))
                .hasMessageContaining("not base64");
        assertThatThrownBy(() -> QueueMessages.read(
                        Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}),
                        Map.of("Format", "epas-ndjson", "EventCount", "1", "ContentEncoding", "gzip")))
                .hasMessageContaining("not a gzip stream");
        for (String line : List.of(
                "{\"receivedAt\":1,\"epas\":{\"event\":\"x\"}} trailing",
                "{\"receivedAt\":1}",
                "{\"receivedAt\":1,\"epas\":{\"event\":\"x\"",
                "{\"receivedAt\":1,\"epas\":{\"event\":tru}}")) {
            assertThatThrownBy(
                            () -> QueueMessages.read(line + "\n", Map.of("Format", "epas-ndjson", "EventCount", "1")))
                    .as(line)
                    .isInstanceOf(UnreadableMessageException.class);
        }
    }

    static String gzipBase64(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }
}
