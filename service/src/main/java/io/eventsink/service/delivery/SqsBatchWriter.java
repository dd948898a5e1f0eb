package io.eventsink.service.delivery;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.SdkAdvancedAsyncClientOption;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClientBuilder;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * Writes batches with {@code SendMessageBatch}. The message body is the event JSON untouched;
 * {@code Event} and {@code Time} attributes are what EPAS workers read (docs/epas.md); {@code ReceivedAt} and
 * {@code Origin} are what the server adds.
 */
public final class SqsBatchWriter implements BatchWriter {

    /** SQS's limits for one SendMessageBatch call. */
    public static final int MAX_ENTRIES = 10;

    public static final int MAX_BYTES = 256 * 1024;

    private static final Pattern REGION_IN_URL =
            Pattern.compile("^https?://sqs[.-]([a-z0-9-]+)\\.amazonaws\\.com", Pattern.CASE_INSENSITIVE);
    private static final String[] ENTRY_IDS = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};

    private final SqsAsyncClient client;
    private final String queueUrl;
    private final boolean ownsClient;

    public SqsBatchWriter(SqsAsyncClient client, String queueUrl, boolean ownsClient) {
        this.client = client;
        this.queueUrl = queueUrl;
        this.ownsClient = ownsClient;
    }

    /**
     * An async client on the Netty HTTP client, with SDK retries off: the pipeline retries per
     * entry with its own backoff and deadline, and SDK retries would hide outages from readiness.
     */
    public static SqsAsyncClient createClient(
            String queueUrl, Optional<String> endpoint, Optional<String> region, int maxConcurrency) {
        SqsAsyncClientBuilder builder = SqsAsyncClient.builder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .maxConcurrency(maxConcurrency)
                        .connectionTimeout(Duration.ofSeconds(2))
                        .connectionAcquisitionTimeout(Duration.ofSeconds(5)))
                .region(Region.of(region.orElseGet(() -> regionFromQueueUrl(queueUrl))))
                // Our completion callbacks only complete futures and never block, so run them where the
                // response arrives instead of paying a hand-off to the SDK's completion pool per call.
                .asyncConfiguration(
                        a -> a.advancedOption(SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR, Runnable::run))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(Duration.ofSeconds(5))
                        .apiCallAttemptTimeout(Duration.ofSeconds(5)));
        endpoint.map(URI::create).ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** {@code https://sqs.eu-north-1.amazonaws.com/123/q} gives eu-north-1; anything else us-east-1. */
    static String regionFromQueueUrl(String queueUrl) {
        Matcher m = REGION_IN_URL.matcher(queueUrl);
        return m.find() ? m.group(1) : "us-east-1";
    }

    @Override
    public int maxBatchEntries() {
        return MAX_ENTRIES;
    }

    @Override
    public int maxBatchBytes() {
        return MAX_BYTES;
    }

    @Override
    public List<EntryOutcome> write(List<QueuedEvent> batch) throws WriteFailure {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            QueuedEvent e = batch.get(i);
            entries.add(SendMessageBatchRequestEntry.builder()
                    .id(ENTRY_IDS[i])
                    .messageBody(e.json())
                    .messageAttributes(attributes(e))
                    .build());
        }
        SendMessageBatchRequest request = SendMessageBatchRequest.builder()
                .queueUrl(queueUrl)
                .entries(entries)
                .build();
        return join(client.sendMessageBatch(request).thenApply(response -> {
            // Every entry must be accounted for; one SQS does not mention is retried.
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
        }));
    }

    private static <T> T join(CompletableFuture<T> call) throws WriteFailure {
        try {
            return call.join();
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new WriteFailure(
                    WriteFailure.Kind.UNREACHABLE, cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
        }
    }

    private static Map<String, MessageAttributeValue> attributes(QueuedEvent e) {
        Map<String, MessageAttributeValue> attributes = new HashMap<>(8);
        attributes.put("Event", string(e.eventName()));
        if (e.timestampText() != null) {
            attributes.put("Time", string(e.timestampText()));
        }
        attributes.put(
                "ReceivedAt",
                MessageAttributeValue.builder()
                        .dataType("Number")
                        .stringValue(Long.toString(e.receivedAtMs()))
                        .build());
        if (e.origin() != null) {
            attributes.put("Origin", string(e.origin()));
        }
        return attributes;
    }

    private static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder()
                .dataType("String")
                .stringValue(value)
                .build();
    }

    @Override
    public void probe() throws WriteFailure {
        join(client.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN)));
    }

    @Override
    public String describe() {
        return queueUrl;
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }
}
