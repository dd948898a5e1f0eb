package io.eventsink.service.warmup;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for SQS on loopback, for the warm-up only: it answers the two calls the service makes
 * (SendMessageBatch, GetQueueAttributes) in the SQS JSON protocol, every entry stored with its body's
 * MD5, and keeps nothing. No made-up event ever reaches the real queue.
 */
final class QueueStandIn implements AutoCloseable {

    private static final JsonParserFactory PARSERS = Json.createParserFactory(Map.of());

    private final WebServer server;
    private final AtomicLong calls = new AtomicLong();

    private QueueStandIn(WebServer server) {
        this.server = server;
    }

    static QueueStandIn start() {
        QueueStandIn[] self = new QueueStandIn[1];
        WebServer server = WebServer.builder()
                .featuresDiscoverServices(false)
                .shutdownHook(false)
                .host("127.0.0.1")
                .port(0)
                .routing(r -> r.post("/", (req, res) -> self[0].answer(req, res)))
                .build();
        self[0] = new QueueStandIn(server);
        server.start();
        return self[0];
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.port() + "/";
    }

    String queueUrl() {
        return endpoint() + "000000000000/eventsink-warmup";
    }

    long calls() {
        return calls.get();
    }

    private void answer(ServerRequest req, ServerResponse res) {
        calls.incrementAndGet();
        String target = req.headers().first(HeaderNames.create("X-Amz-Target")).orElse("");
        byte[] body = req.content().as(byte[].class);
        String answer = target.endsWith("SendMessageBatch")
                ? stored(body)
                : "{\"Attributes\":{\"QueueArn\":\"arn:aws:sqs:warmup:000000000000:eventsink-warmup\"}}";
        res.status(Status.OK_200);
        res.header(HeaderValues.create(HeaderNames.CONTENT_TYPE, "application/x-amz-json-1.0"));
        res.send(answer.getBytes(StandardCharsets.UTF_8));
    }

    /** Every entry stored: its Id, a message id and the MD5 of its body, as SQS answers. */
    private static String stored(byte[] request) {
        StringWriter out = new StringWriter();
        try (JsonParser p = PARSERS.createParser(new ByteArrayInputStream(request));
                JsonGenerator g = Json.createGenerator(out)) {
            g.writeStartObject().writeStartArray("Successful");
            String id = null;
            while (p.hasNext()) {
                JsonParser.Event e = p.next();
                if (e == JsonParser.Event.KEY_NAME && p.getString().equals("Id")) {
                    p.next();
                    id = p.getString();
                } else if (e == JsonParser.Event.KEY_NAME && p.getString().equals("MessageBody")) {
                    p.next();
                    g.writeStartObject()
                            .write("Id", id)
                            .write("MessageId", "warmup-" + id)
                            .write("MD5OfMessageBody", md5(p.getString()))
                            .writeEnd();
                }
            }
            g.writeEnd().writeStartArray("Failed").writeEnd().writeEnd();
        }
        return out.toString();
    }

    private static String md5(String body) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
