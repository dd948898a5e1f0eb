package io.eventsink.service.delivery.sqs;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Signs SQS JSON-protocol requests with the SDK's SigV4 signer and credentials from the SDK's
 * providers (environment, profile, web identity / IRSA, container / EKS Pod Identity, instance
 * role), which cache and refresh them.
 */
final class SqsSigner {

    private static final String CONTENT_TYPE = "application/x-amz-json-1.0";
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private final URI endpoint;
    private final String region;
    private final Supplier<AwsCredentialsProvider> providers;
    private volatile AwsCredentialsProvider credentials;

    /** @param providers makes a fresh provider; called again when SQS says the credentials expired */
    SqsSigner(SqsAddress address, Supplier<AwsCredentialsProvider> providers) {
        this.endpoint = address.endpoint();
        this.region = address.region();
        this.providers = providers;
        this.credentials = providers.get();
    }

    /** The headers of a signed POST of {@code body} calling {@code target} (e.g. AmazonSQS.SendMessageBatch). */
    Map<String, String> sign(String target, byte[] body) {
        AwsCredentialsIdentity identity = credentials.resolveCredentials();
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint)
                .putHeader("Content-Type", CONTENT_TYPE)
                .putHeader("X-Amz-Target", target)
                .build();
        SignedRequest signed = SIGNER.sign(r -> r.identity(identity)
                .request(request)
                .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "sqs")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> h : signed.request().headers().entrySet()) {
            if (!h.getKey().equalsIgnoreCase("Host")) {
                headers.put(h.getKey(), String.join(",", h.getValue()));
            }
        }
        return headers;
    }

    /** Drops cached credentials: the next call resolves them anew. */
    void refreshCredentials() {
        AwsCredentialsProvider old = credentials;
        credentials = providers.get();
        if (old instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // the old provider's background refresh, if any, is gone with it
            }
        }
    }

    void close() {
        if (credentials instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // nothing to do on shutdown
            }
        }
    }
}
