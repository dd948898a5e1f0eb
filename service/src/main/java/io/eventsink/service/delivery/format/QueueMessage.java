package io.eventsink.service.delivery.format;

import java.util.List;

/**
 * One SQS message as it goes on the wire.
 *
 * @param body         the message body
 * @param attributes   its message attributes
 * @param eventCount   how many events it carries
 * @param payloadBytes what SQS counts of it towards sizes and the bill: the body's UTF-8 bytes plus
 *                     every attribute's name, type and value
 */
public record QueueMessage(String body, List<MessageAttribute> attributes, int eventCount, int payloadBytes) {

    public QueueMessage {
        attributes = List.copyOf(attributes);
    }

    /** A message of {@code bodyBytes} UTF-8 bytes; the attributes' share is added here. */
    public static QueueMessage of(String body, int bodyBytes, List<MessageAttribute> attributes, int eventCount) {
        int bytes = bodyBytes;
        for (MessageAttribute a : attributes) {
            bytes += a.bytes();
        }
        return new QueueMessage(body, attributes, eventCount, bytes);
    }
}
