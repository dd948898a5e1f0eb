package io.eventsink.service.delivery.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import io.eventsink.service.delivery.BatchWriter.EntryOutcome;
import io.eventsink.service.delivery.QueuedEvent;
import io.eventsink.service.delivery.WriteFailure;
import io.eventsink.service.delivery.format.EventMessages;
import io.eventsink.service.delivery.format.QueueMessage;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The SQS path over HTTPS, as against AWS: a TLS server whose certificate (CN=localhost, SAN
 * 127.0.0.1, in {@code tls/sqs-test.p12}) the client is told to trust gets the signed call; with the
 * JDK's default trust store — what the service runs with — the same self-signed server is refused.
 */
class SqsWriterTlsTest {

    private static final char[] PASSWORD = "changeit".toCharArray();

    private HttpsServer server;
    private final List<String> protocols = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        KeyStore keys = keystore();
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext));
        server.createContext("/", this::storeAll);
        server.start();
    }

    /** The server's key and self-signed certificate (CN=localhost, SAN 127.0.0.1; keytool, valid 100 years). */
    private static KeyStore keystore() throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = SqsWriterTlsTest.class.getResourceAsStream("/tls/sqs-test.p12")) {
            keys.load(in, PASSWORD);
        }
        return keys;
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void storeAll(HttpExchange exchange) throws IOException {
        protocols.add(((HttpsExchange) exchange).getSSLSession().getProtocol());
        JsonObject request = Json.createReader(
                        new StringReader(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)))
                .readObject();
        byte[] body = SqsWriterProtocolTest.allStored(request).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private SqsWriter writer(SSLContext trust) {
        String endpoint = "https://127.0.0.1:" + server.getAddress().getPort();
        SqsAddress address = SqsAddress.of(
                "https://sqs.eu-north-1.amazonaws.com/123456789012/events", Optional.of(endpoint), Optional.empty());
        return new SqsWriter(
                address,
                new HelidonSqsTransport(address.endpoint(), 2, trust),
                () -> StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")));
    }

    private static List<QueueMessage> batch() {
        String json = "{\"event\":\"heartbeat\",\"sessionId\":\"tls-1\"}";
        return List.of(EventMessages.of(new QueuedEvent(json, "heartbeat", "1", 2, null, null, null, json.length())));
    }

    @Test
    void aBatchIsStoredOverHttpsWhenTheServerCertificateIsTrusted() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keystore());
        SSLContext trust = SSLContext.getInstance("TLS");
        trust.init(null, tmf.getTrustManagers(), null);
        try (SqsWriter writer = writer(trust)) {
            assertThat(writer.write(batch())).containsExactly(EntryOutcome.DELIVERED);
            assertThat(writer.write(batch()))
                    .as("the kept-alive TLS connection is reused")
                    .containsExactly(EntryOutcome.DELIVERED);
        }
        assertThat(protocols).hasSize(2).allSatisfy(p -> assertThat(p).startsWith("TLSv1."));
    }

    @Test
    void anUntrustedCertificateIsRefusedAndNothingIsSent() {
        try (SqsWriter writer = writer(null)) {
            assertThatThrownBy(() -> writer.write(batch()))
                    .isInstanceOfSatisfying(
                            WriteFailure.class, f -> assertThat(f.kind()).isEqualTo(WriteFailure.Kind.UNREACHABLE));
        }
        assertThat(protocols).as("no request reached the handler").isEmpty();
    }
}
