package io.eventsink.service.delivery.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transport decides once whether the JVM's proxy settings apply to the SQS endpoint: without
 * any it goes direct, and with a proxy configured for it every call goes through that proxy (an
 * HTTP proxy that tunnels with CONNECT, as corporate egress proxies do).
 */
class HelidonSqsTransportProxyTest {

    /** An endpoint nobody listens on: only the proxy can answer for it. */
    private URI unreachableEndpoint;

    private ServerSocket proxy;
    private final List<String> tunnels = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private ProxySelector jvmDefault;

    @BeforeEach
    void start() throws IOException {
        jvmDefault = ProxySelector.getDefault();
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            unreachableEndpoint = URI.create("http://127.0.0.1:" + closed.getLocalPort());
        }
        proxy = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!proxy.isClosed()) {
                try {
                    Socket s = proxy.accept();
                    Thread.ofVirtual().start(() -> tunnel(s));
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    /** Accepts one CONNECT, then answers every request sent through the tunnel with 200 {}. */
    private void tunnel(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            List<String> connect = head(in);
            tunnels.add(connect.getFirst());
            out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            for (List<String> request = head(in); !request.isEmpty(); request = head(in)) {
                requests.add(request.getFirst());
                int length = request.stream()
                        .filter(h -> h.toLowerCase(Locale.ROOT).startsWith("content-length:"))
                        .mapToInt(h -> Integer.parseInt(h.substring(15).trim()))
                        .findFirst()
                        .orElse(0);
                in.readNBytes(length);
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException gone) {
            // the client closed the tunnel
        }
    }

    private static List<String> head(InputStream in) throws IOException {
        List<String> lines = new java.util.ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                String l = line.toString(StandardCharsets.US_ASCII).strip();
                line.reset();
                if (l.isEmpty()) {
                    return lines;
                }
                lines.add(l);
            } else {
                line.write(b);
            }
        }
        return List.of();
    }

    @AfterEach
    void stop() throws IOException {
        ProxySelector.setDefault(jvmDefault);
        proxy.close();
    }

    @Test
    void withoutProxySettingsTheEndpointIsReachedDirectly() {
        assertThat(HelidonSqsTransport.direct(unreachableEndpoint)).isTrue();
    }

    @Test
    void aProxyTheJvmIsConfiguredWithCarriesEveryCall() throws IOException {
        InetSocketAddress at = (InetSocketAddress) proxy.getLocalSocketAddress();
        ProxySelector.setDefault(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                return List.of(new Proxy(Proxy.Type.HTTP, at));
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {}
        });
        assertThat(HelidonSqsTransport.direct(unreachableEndpoint)).isFalse();
        HelidonSqsTransport transport = new HelidonSqsTransport(unreachableEndpoint, 1);
        try {
            for (int i = 0; i < 2; i++) {
                SqsTransport.Response response = transport.post(
                        Map.of("X-Amz-Target", "AmazonSQS.GetQueueAttributes"), "{}".getBytes(StandardCharsets.UTF_8));
                assertThat(response.status()).isEqualTo(200);
            }
        } finally {
            transport.close();
        }
        assertThat(tunnels)
                .as("the proxy was asked to tunnel to the endpoint")
                .isNotEmpty()
                .allSatisfy(t -> assertThat(t).startsWith("CONNECT " + unreachableEndpoint.getAuthority() + " "));
        assertThat(requests)
                .hasSize(2)
                .allSatisfy(r -> assertThat(r).isIn("POST / HTTP/1.1", "POST " + unreachableEndpoint + "/ HTTP/1.1"));
    }
}
