package io.eventsink.service.delivery.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventsink.service.delivery.BatchWriter.EntryOutcome;
import io.eventsink.service.delivery.QueuedEvent;
import io.eventsink.service.delivery.format.EventMessages;
import io.eventsink.service.delivery.format.QueueMessage;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqsJsonTest {

    private static QueueMessage event(String json) {
        return EventMessages.of(new QueuedEvent(
                json,
                "heartbeat",
                "1700000000000",
                1700000000123L,
                "https://p.example",
                "eu-1",
                null,
                json.getBytes(StandardCharsets.UTF_8).length));
    }

    @Test
    void requestIsJsonThatCarriesEachBodyExactlyWithItsAttributes() {
        String tricky = "{\"sessionId\":\"q\\\"uote \\\\ \u00e5\u00e4\u00f6 \uD83C\uDFAC \\u0007\"\t\r\n}";
        QueueMessage cmcd = EventMessages.of(new QueuedEvent("{\"a\":1}", "playing", null, 5, null, null, "cmcd", 7));
        byte[] request = SqsJson.sendMessageBatch("http://localhost/0/q", List.of(event(tricky), cmcd));
        JsonObject parsed = Json.createReader(new StringReader(new String(request, StandardCharsets.UTF_8)))
                .readObject();
        assertThat(parsed.getString("QueueUrl")).isEqualTo("http://localhost/0/q");
        JsonObject first = parsed.getJsonArray("Entries").getJsonObject(0);
        assertThat(first.getString("Id")).isEqualTo("0");
        assertThat(first.getString("MessageBody")).isEqualTo(tricky);
        JsonObject attributes = first.getJsonObject("MessageAttributes");
        assertThat(attributes.getJsonObject("Event").getString("StringValue")).isEqualTo("heartbeat");
        assertThat(attributes.getJsonObject("Time").getString("StringValue")).isEqualTo("1700000000000");
        assertThat(attributes.getJsonObject("ReceivedAt").getString("DataType")).isEqualTo("Number");
        assertThat(attributes.getJsonObject("ReceivedAt").getString("StringValue"))
                .isEqualTo("1700000000123");
        assertThat(attributes.getJsonObject("Origin").getString("StringValue")).isEqualTo("https://p.example");
        assertThat(attributes.getJsonObject("ShardId").getString("StringValue")).isEqualTo("eu-1");
        assertThat(attributes).doesNotContainKey("Source");
        JsonObject second = parsed.getJsonArray("Entries").getJsonObject(1);
        assertThat(second.getString("Id")).isEqualTo("1");
        assertThat(second.getJsonObject("MessageAttributes")).containsOnlyKeys("Event", "ReceivedAt", "Source");
    }

    @Test
    void everyEntryIsAccountedFor() {
        List<QueueMessage> batch =
                List.of(event("{\"n\":0}"), event("{\"n\":1}"), event("{\"n\":2}"), event("{\"n\":3}"));
        String response = "{\"Successful\":[{\"Id\":\"0\",\"MessageId\":\"m0\",\"MD5OfMessageBody\":\""
                + SqsJson.md5Hex("{\"n\":0}") + "\"},{\"Id\":\"3\",\"MessageId\":\"m3\",\"MD5OfMessageBody\":\""
                + SqsJson.md5Hex("something else") + "\"}],"
                + "\"Failed\":[{\"Id\":\"1\",\"SenderFault\":true,\"Code\":\"InvalidMessageContents\",\"Message\":\"x\"},"
                + "{\"Id\":\"99\",\"SenderFault\":false,\"Code\":\"InternalError\"}]}";
        assertThat(SqsJson.outcomes(response.getBytes(StandardCharsets.UTF_8), batch))
                .containsExactly(
                        EntryOutcome.DELIVERED, // checksum matches
                        EntryOutcome.REJECTED, // the sender's fault: retrying cannot help
                        EntryOutcome.RETRY, // not mentioned at all
                        EntryOutcome.RETRY); // stored, but not what we sent
    }

    @Test
    void aServerSideEntryFailureIsRetried() {
        String response =
                "{\"Failed\":[{\"Id\":\"0\",\"SenderFault\":false,\"Code\":\"InternalError\"}],\"Successful\":[]}";
        assertThat(SqsJson.outcomes(response.getBytes(StandardCharsets.UTF_8), List.of(event("{}"))))
                .containsExactly(EntryOutcome.RETRY);
    }

    @Test
    void anUnreadableAnswerIsAnError() {
        assertThatThrownBy(() -> SqsJson.outcomes("<html>".getBytes(StandardCharsets.UTF_8), List.of(event("{}"))))
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void probeAsksOnlyForTheArn() {
        assertThat(new String(SqsJson.getQueueArn("http://h/0/q"), StandardCharsets.UTF_8))
                .isEqualTo("{\"QueueUrl\":\"http://h/0/q\",\"AttributeNames\":[\"QueueArn\"]}");
    }
}
