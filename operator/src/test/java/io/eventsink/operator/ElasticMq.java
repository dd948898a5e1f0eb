package io.eventsink.operator;

import java.net.URI;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/** An in-process ElasticMQ (a real SQS-compatible server) plus a client the tests use to look at it. */
final class ElasticMq implements AutoCloseable {
    final SQSRestServer server;
    final int port;
    final SqsClient sqs;

    private ElasticMq(SQSRestServer server, int port) {
        this.server = server;
        this.port = port;
        this.sqs = SqsClient.builder()
                .endpointOverride(URI.create(endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    static ElasticMq start(int port) {
        // the operator under test uses the default credentials chain; system properties feed it here
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        SQSRestServer server =
                SQSRestServerBuilder.withPort(port).withInterface("127.0.0.1").start();
        int bound = server.waitUntilStarted().localAddress().getPort();
        return new ElasticMq(server, bound);
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        sqs.close();
        // no wait: Pekko's graceful stop can hang on idle keep-alive connections of the JDK's URL client
        server.stopAndGetFuture();
    }
}
