package io.eventsink.embeddedsqs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * A real SQS-compatible server (ElasticMQ) running inside this JVM on loopback, plus a small
 * blocking client to set it up and read messages back. Stop and restart on the same port to
 * simulate an outage.
 */
public final class EmbeddedSqs implements AutoCloseable {

    /** ElasticMQ accepts any credentials; the SDK insists on having some. */
    public static final String ACCESS_KEY = "eventsink-local";

    public static final String SECRET_KEY = "eventsink-local";
    public static final String REGION = "elasticmq";

    private final int port;
    private SQSRestServer server;
    private SqsClient client;

    private EmbeddedSqs(int port) {
        this.port = port;
    }

    /**
     * Runs ElasticMQ as its own process (benchmarks and fault tests keep the queue out of the
     * service's JVM): {@code EmbeddedSqs <port> <queue-name>...}; prints one QUEUE_URL line per queue.
     */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9324;
        EmbeddedSqs sqs = start(port);
        for (int i = 1; i < args.length; i++) {
            System.out.println("QUEUE_URL=" + sqs.createQueue(args[i]));
        }
        System.out.println("SQS_ENDPOINT=" + sqs.endpoint());
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(sqs::close));
        Thread.currentThread().join();
    }

    /** Starts on a free loopback port. */
    public static EmbeddedSqs start() {
        return start(freePort());
    }

    /** Starts on the given loopback port. */
    public static EmbeddedSqs start(int port) {
        EmbeddedSqs sqs = new EmbeddedSqs(port);
        sqs.startServer();
        return sqs;
    }

    private void startServer() {
        server = SQSRestServerBuilder.withInterface("127.0.0.1")
                .withPort(port)
                .withServerAddress(new NodeAddress("http", "127.0.0.1", port, ""))
                .withAWSRegion(REGION)
                .start();
        server.waitUntilStarted();
    }

    /** Stops the server (queues and messages are lost, like an outage that loses state). */
    public synchronized void stop() {
        if (server != null) {
            server.stopAndWait();
            server = null;
        }
    }

    /** Starts again on the same port after {@link #stop()}. */
    public synchronized void restart() {
        if (server == null) {
            startServer();
        }
    }

    public int port() {
        return port;
    }

    /** The endpoint to give SDK clients, e.g. {@code http://127.0.0.1:9324}. */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** A blocking client for this server (owned by this object). */
    public synchronized SqsClient client() {
        if (client == null) {
            client = SqsClient.builder()
                    .endpointOverride(URI.create(endpoint()))
                    .region(Region.of(REGION))
                    .credentialsProvider(
                            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                    .httpClientBuilder(UrlConnectionHttpClient.builder()
                            .connectionTimeout(Duration.ofSeconds(2))
                            .socketTimeout(Duration.ofSeconds(30)))
                    .build();
        }
        return client;
    }

    /** Creates (or finds) a standard queue and returns its URL. */
    public String createQueue(String name) {
        return client().createQueue(b -> b.queueName(name)).queueUrl();
    }

    /** Messages currently in the queue (visible plus in flight), as SQS reports them. */
    public int approximateCount(String queueUrl) {
        Map<QueueAttributeName, String> attributes = client().getQueueAttributes(b -> b.queueUrl(queueUrl)
                        .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /**
     * Receives and deletes every message until the queue stays empty for {@code quiet}: what a
     * downstream worker would read.
     */
    public List<Message> drain(String queueUrl, Duration quiet) {
        List<Message> all = new ArrayList<>();
        long quietUntil = System.nanoTime() + quiet.toNanos();
        while (true) {
            // Long polling (1 s) waits for stragglers without a sleep loop.
            int wait = System.nanoTime() < quietUntil ? 1 : 0;
            ReceiveMessageResponse response = client().receiveMessage(b -> b.queueUrl(queueUrl)
                    .maxNumberOfMessages(10)
                    .waitTimeSeconds(wait)
                    .messageAttributeNames("All"));
            if (response.messages().isEmpty()) {
                if (System.nanoTime() >= quietUntil) {
                    break;
                }
                continue;
            }
            all.addAll(response.messages());
            client().deleteMessageBatch(b -> b.queueUrl(queueUrl)
                    .entries(response.messages().stream()
                            .map(m -> software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry.builder()
                                    .id(m.messageId())
                                    .receiptHandle(m.receiptHandle())
                                    .build())
                            .toList()));
            quietUntil = System.nanoTime() + quiet.toNanos();
        }
        return all;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
        stop();
    }

    /** A port that was free a moment ago. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
