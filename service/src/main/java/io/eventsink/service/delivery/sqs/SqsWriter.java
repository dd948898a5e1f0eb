package io.eventsink.service.delivery.sqs;

import io.eventsink.service.delivery.BatchWriter;
import io.eventsink.service.delivery.WriteFailure;
import io.eventsink.service.delivery.WriteFailure.Kind;
import io.eventsink.service.delivery.format.QueueMessage;
import io.eventsink.service.delivery.sqs.SqsErrors.SqsError;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * Writes batches with SQS {@code SendMessageBatch}: the JSON request written directly
 * ({@link SqsJson}), signed with the SDK's SigV4 signer and credential providers ({@link SqsSigner}),
 * posted on Helidon's HTTP client ({@link SqsTransport}). The SDK's request pipeline is not used:
 * profiled, it cost more CPU per call than all of this (see bench/README.md).
 *
 * <p>Every entry of every response is checked ({@link SqsJson#outcomes}); a failed call is
 * classified ({@link SqsErrors}); credentials SQS calls expired are refreshed and the call retried once.
 */
public final class SqsWriter implements BatchWriter {

    /** SQS's limits for one SendMessageBatch call: entries, and their payload (1 MiB since 2025). */
    public static final int MAX_ENTRIES = 10;

    public static final int MAX_BYTES = 1024 * 1024;

    private final SqsAddress address;
    private final SqsSigner signer;
    private final SqsTransport transport;
    private final SqsMeters meters;

    public SqsWriter(
            SqsAddress address,
            SqsTransport transport,
            Supplier<AwsCredentialsProvider> credentials,
            SqsMeters meters) {
        this.address = address;
        this.transport = transport;
        this.signer = new SqsSigner(address, credentials);
        this.meters = meters;
    }

    public SqsWriter(SqsAddress address, SqsTransport transport, Supplier<AwsCredentialsProvider> credentials) {
        this(address, transport, credentials, SqsMeters.global());
    }

    /** The production writer: the SDK's default credential chain, Helidon's HTTP client. */
    public static SqsWriter create(SqsAddress address, int connections) {
        return new SqsWriter(
                address,
                new HelidonSqsTransport(address.endpoint(), connections),
                () -> DefaultCredentialsProvider.builder().build());
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
    public List<EntryOutcome> write(List<QueueMessage> batch) throws WriteFailure {
        byte[] answer = call(SqsJson.SEND_MESSAGE_BATCH, SqsJson.sendMessageBatch(address.queueUrl(), batch));
        meters.sent(batch);
        try {
            return SqsJson.outcomes(answer, batch);
        } catch (RuntimeException unreadable) {
            // Stored or not, we cannot tell: retry every entry (at-least-once).
            throw new WriteFailure(
                    Kind.UNREACHABLE, "unreadable SendMessageBatch answer: " + unreadable.getMessage(), unreadable);
        }
    }

    @Override
    public void probe() throws WriteFailure {
        call(SqsJson.GET_QUEUE_ATTRIBUTES, SqsJson.getQueueArn(address.queueUrl()));
        meters.called();
    }

    private byte[] call(String target, byte[] body) throws WriteFailure {
        SqsTransport.Response response = post(target, body);
        if (response.status() == 200) {
            return response.body();
        }
        SqsError error = SqsErrors.parse(response.status(), response.body(), response.queryError());
        if (error.expiredCredentials()) {
            signer.refreshCredentials();
            response = post(target, body);
            if (response.status() == 200) {
                return response.body();
            }
            error = SqsErrors.parse(response.status(), response.body(), response.queryError());
        }
        throw error.failure();
    }

    private SqsTransport.Response post(String target, byte[] body) throws WriteFailure {
        try {
            return transport.post(signer.sign(target, body), body);
        } catch (IOException e) {
            throw new WriteFailure(Kind.UNREACHABLE, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // credential resolution and the HTTP client's own failures (connect refused, TLS…)
            throw new WriteFailure(Kind.UNREACHABLE, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return address.queueUrl();
    }

    @Override
    public void close() {
        transport.close();
        signer.close();
    }
}
