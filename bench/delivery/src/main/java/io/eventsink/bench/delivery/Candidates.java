package io.eventsink.bench.delivery;

import io.eventsink.service.Settings;
import io.eventsink.service.delivery.BatchWriter;
import io.eventsink.service.delivery.sqs.SqsAddress;
import io.eventsink.service.delivery.sqs.SqsWriter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.SdkAdvancedAsyncClientOption;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/** The ways of sending batches to SQS that the delivery benchmark compares. */
enum Candidates {
    /** What the service ships: JSON written directly, SDK signer and credentials, Helidon's HTTP client. */
    LEAN_HELIDON("lean-helidon"),
    /** The same on Helidon's client with its defaults (proxy selector asked and headers validated per call). */
    LEAN_HELIDON_DEFAULTS("lean-helidon-defaults"),
    /** The same, on the JDK's HTTP client. */
    LEAN_JDK("lean-jdk"),
    /** The SDK async client on Netty, as the service shipped before (retries off, completion inline). */
    SDK_NETTY("sdk-netty"),
    /** The same with the per-call work that can go: MD5 checks off. */
    SDK_NETTY_TRIMMED("sdk-netty-trimmed"),
    /** The SDK async client on the AWS CRT HTTP client. */
    SDK_CRT("sdk-crt"),
    /** The SDK sync client on the Apache 5 HTTP client, called from virtual threads. */
    SDK_APACHE5("sdk-apache5"),
    /** The SDK sync client on the JDK URL-connection client, called from virtual threads. */
    SDK_URLCONNECTION("sdk-urlconnection");

    final String id;

    Candidates(String id) {
        this.id = id;
    }

    static Candidates byId(String id) {
        for (Candidates c : values()) {
            if (c.id.equals(id)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown candidate " + id + "; one of " + List.of(values()));
    }

    BatchWriter writer(Settings settings) {
        SqsAddress address =
                SqsAddress.of(settings.sqsQueueUrl().orElseThrow(), settings.sqsEndpoint(), settings.region());
        int connections = settings.maxInflightBatches();
        return switch (this) {
            case LEAN_HELIDON -> SqsWriter.create(address, connections);
            case LEAN_HELIDON_DEFAULTS ->
                new SqsWriter(
                        address,
                        new HelidonDefaultsSqsTransport(address.endpoint(), connections),
                        () -> DefaultCredentialsProvider.builder().build());
            case LEAN_JDK ->
                new SqsWriter(
                        address,
                        new JdkHttpSqsTransport(address.endpoint()),
                        () -> DefaultCredentialsProvider.builder().build());
            case SDK_NETTY, SDK_NETTY_TRIMMED ->
                SdkWriter.async(
                        address.queueUrl(),
                        async(address, this == SDK_NETTY_TRIMMED)
                                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                                        .maxConcurrency(connections * 2)
                                        .connectionTimeout(Duration.ofSeconds(2)))
                                .build());
            case SDK_CRT ->
                SdkWriter.async(
                        address.queueUrl(),
                        async(address, false)
                                .httpClientBuilder(
                                        AwsCrtAsyncHttpClient.builder().maxConcurrency(connections * 2))
                                .build());
            case SDK_APACHE5 ->
                SdkWriter.sync(
                        address.queueUrl(),
                        sync(address)
                                .httpClientBuilder(Apache5HttpClient.builder().maxConnections(connections * 2))
                                .build());
            case SDK_URLCONNECTION ->
                SdkWriter.sync(
                        address.queueUrl(),
                        sync(address)
                                .httpClientBuilder(UrlConnectionHttpClient.builder())
                                .build());
        };
    }

    private static SqsAsyncClientBuilder async(SqsAddress address, boolean trimmed) {
        SqsAsyncClientBuilder b = SqsAsyncClient.builder()
                .region(Region.of(address.region()))
                .endpointOverride(URI.create(address.endpoint().toString()))
                .asyncConfiguration(
                        a -> a.advancedOption(SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR, Runnable::run))
                .overrideConfiguration(
                        o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(Duration.ofSeconds(5)));
        if (trimmed) {
            b.checksumValidationEnabled(false);
        }
        return b;
    }

    private static SqsClientBuilder sync(SqsAddress address) {
        return SqsClient.builder()
                .region(Region.of(address.region()))
                .endpointOverride(URI.create(address.endpoint().toString()))
                .overrideConfiguration(
                        o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(Duration.ofSeconds(5)));
    }

    @Override
    public String toString() {
        return id;
    }
}
