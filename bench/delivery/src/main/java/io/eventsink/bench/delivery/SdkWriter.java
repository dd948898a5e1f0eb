package io.eventsink.bench.delivery;

import io.eventsink.service.delivery.BatchWriter;
import io.eventsink.service.delivery.WriteFailure;
import io.eventsink.service.delivery.format.MessageAttribute;
import io.eventsink.service.delivery.format.QueueMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * A candidate: the same batches written through an AWS SDK SQS client (async joined on the
 * caller's virtual thread, or sync), so SDK clients can be measured against the shipped writer.
 */
final class SdkWriter implements BatchWriter {

    private static final String[] IDS = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};

    private final String queueUrl;
    private final Function<SendMessageBatchRequest, SendMessageBatchResponse> send;
    private final Runnable probe;
    private final AutoCloseable client;

    SdkWriter(
            String queueUrl,
            Function<SendMessageBatchRequest, SendMessageBatchResponse> send,
            Runnable probe,
            AutoCloseable client) {
        this.queueUrl = queueUrl;
        this.send = send;
        this.probe = probe;
        this.client = client;
    }

    static SdkWriter async(String queueUrl, software.amazon.awssdk.services.sqs.SqsAsyncClient client) {
        return new SdkWriter(
                queueUrl,
                r -> client.sendMessageBatch(r).join(),
                () -> client.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                        .join(),
                client);
    }

    static SdkWriter sync(String queueUrl, software.amazon.awssdk.services.sqs.SqsClient client) {
        return new SdkWriter(
                queueUrl,
                client::sendMessageBatch,
                () -> client.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN)),
                client);
    }

    @Override
    public int maxBatchEntries() {
        return 10;
    }

    @Override
    public int maxBatchBytes() {
        return 256 * 1024;
    }

    @Override
    public List<EntryOutcome> write(List<QueueMessage> batch) throws WriteFailure {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            QueueMessage e = batch.get(i);
            entries.add(SendMessageBatchRequestEntry.builder()
                    .id(IDS[i])
                    .messageBody(e.body())
                    .messageAttributes(attributes(e))
                    .build());
        }
        SendMessageBatchResponse response;
        try {
            response = send.apply(SendMessageBatchRequest.builder()
                    .queueUrl(queueUrl)
                    .entries(entries)
                    .build());
        } catch (RuntimeException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            throw new WriteFailure(WriteFailure.Kind.UNREACHABLE, cause.toString(), cause);
        }
        EntryOutcome[] outcomes = new EntryOutcome[batch.size()];
        Arrays.fill(outcomes, EntryOutcome.RETRY);
        for (SendMessageBatchResultEntry ok : response.successful()) {
            outcomes[Integer.parseInt(ok.id())] = EntryOutcome.DELIVERED;
        }
        for (BatchResultErrorEntry failed : response.failed()) {
            outcomes[Integer.parseInt(failed.id())] =
                    Boolean.TRUE.equals(failed.senderFault()) ? EntryOutcome.REJECTED : EntryOutcome.RETRY;
        }
        return List.of(outcomes);
    }

    private static Map<String, MessageAttributeValue> attributes(QueueMessage m) {
        Map<String, MessageAttributeValue> a = new HashMap<>(8);
        for (MessageAttribute attribute : m.attributes()) {
            a.put(
                    attribute.name(),
                    MessageAttributeValue.builder()
                            .dataType(attribute.type())
                            .stringValue(attribute.value())
                            .build());
        }
        return a;
    }

    @Override
    public void probe() throws WriteFailure {
        try {
            probe.run();
        } catch (RuntimeException e) {
            throw new WriteFailure(WriteFailure.Kind.UNREACHABLE, e.toString(), e);
        }
    }

    @Override
    public String describe() {
        return queueUrl;
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (Exception ignored) {
            // benchmark teardown
        }
    }
}
