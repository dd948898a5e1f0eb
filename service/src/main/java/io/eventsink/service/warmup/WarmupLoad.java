package io.eventsink.service.warmup;

import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives requests at the warm-up listener from a few virtual threads, each a keep-alive connection
 * sending one request after another; counts answers and unexpected ones (neither 2xx nor 400).
 */
final class WarmupLoad implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WarmupLoad.class.getName());

    private final Http1Client client;
    private final List<Thread> streams = new ArrayList<>();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong unexpected = new AtomicLong();
    private volatile boolean running = true;

    WarmupLoad(int port, int concurrency) {
        this.client = Http1Client.builder()
                .baseUri(URI.create("http://127.0.0.1:" + port))
                .proxy(Proxy.noProxy())
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(10))
                .connectionCacheSize(concurrency)
                .shareConnectionCache(false)
                .servicesDiscoverServices(false)
                .build();
        for (int i = 0; i < concurrency; i++) {
            int stream = i;
            streams.add(Thread.ofVirtual().name("eventsink-warmup-load-" + i).start(() -> drive(stream)));
        }
    }

    long answered() {
        return answered.get();
    }

    long unexpected() {
        return unexpected.get();
    }

    private void drive(int stream) {
        for (long n = 0; running; n++) {
            WarmupRequests.Request r = WarmupRequests.next(stream, n);
            Http1ClientRequest request = client.post(r.path()).header(HeaderNames.CONTENT_TYPE, r.contentType());
            if (r.contentEncoding() != null) {
                request.header(HeaderNames.CONTENT_ENCODING, r.contentEncoding());
            }
            try (HttpClientResponse response = request.submit(r.body())) {
                response.entity().consume();
                int status = response.status().code();
                if (status / 100 != 2 && status != 400) {
                    unexpected.incrementAndGet();
                }
                answered.incrementAndGet();
            } catch (RuntimeException e) {
                if (running) {
                    unexpected.incrementAndGet();
                    LOG.log(System.Logger.Level.DEBUG, "warm-up request failed: " + e);
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        for (Thread t : streams) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        client.closeResource();
    }
}
