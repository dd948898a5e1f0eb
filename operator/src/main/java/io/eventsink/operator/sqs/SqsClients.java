package io.eventsink.operator.sqs;

import io.eventsink.operator.OperatorMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.sqs.SqsClient;

/** One SQS client per (region, endpoint) pair, shared by all EventSinks that use it. */
public class SqsClients implements AutoCloseable {
    private final String defaultRegion;
    private final AwsCredentialsProvider credentials;
    private final Map<String, SqsClient> clients = new ConcurrentHashMap<>();
    private final MeterRegistry metrics;

    public SqsClients(String defaultRegion, MeterRegistry metrics) {
        this.defaultRegion = defaultRegion != null ? defaultRegion : regionFromChain();
        this.metrics = metrics;
        // standard chain: env, system properties, web identity (IRSA), profile, container/instance role
        this.credentials = DefaultCredentialsProvider.builder().build();
    }

    /** AWS_REGION, system property, profile or instance metadata; us-east-1 when none answers. */
    private static String regionFromChain() {
        try {
            return new DefaultAwsRegionProviderChain().getRegion().id();
        } catch (RuntimeException e) {
            return Region.US_EAST_1.id();
        }
    }

    public String defaultRegion() {
        return defaultRegion;
    }

    public SqsClient get(String region, String endpoint) {
        String r = region != null ? region : defaultRegion;
        return clients.computeIfAbsent(r + "|" + (endpoint == null ? "" : endpoint), k -> {
            var b = SqsClient.builder()
                    .region(Region.of(r))
                    .credentialsProvider(credentials)
                    .httpClient(UrlConnectionHttpClient.builder()
                            .connectionTimeout(Duration.ofSeconds(3))
                            .socketTimeout(Duration.ofSeconds(10))
                            .build())
                    .overrideConfiguration(
                            o -> o.apiCallTimeout(Duration.ofSeconds(20)).addExecutionInterceptor(new CallCounter()));
            if (endpoint != null) {
                b.endpointOverride(URI.create(endpoint));
            }
            return b.build();
        });
    }

    /** eventsink_operator_sqs_calls_total{operation}: what the operator costs in SQS API calls. */
    private final class CallCounter implements ExecutionInterceptor {
        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            metrics.counter(
                            OperatorMetrics.SQS_CALLS,
                            "operation",
                            attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))
                    .increment();
        }
    }

    @Override
    public void close() {
        clients.values().forEach(SqsClient::close);
        clients.clear();
    }
}
