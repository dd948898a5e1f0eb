package io.eventsink.dev;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

/**
 * The traffic of an AOT training run (service/aot/train.sh): every kind of request the service
 * answers — each EPAS event type, batches as JSON and NDJSON, gzip, invalid and malformed events,
 * CMCD bodies, headers and query, preflights, 404s, health and metrics — from a few concurrent
 * clients for a while, so the training JVM loads, links and profiles what production runs.
 *
 * <pre>java -cp dev/server/target/eventsink-dev.jar io.eventsink.dev.TrainingLoad http://127.0.0.1:3000 http://127.0.0.1:9090 20</pre>
 */
public final class TrainingLoad {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private TrainingLoad() {}

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:3000");
        URI management = URI.create(args.length > 1 ? args[1] : "http://127.0.0.1:9090");
        long seconds = args.length > 2 ? Long.parseLong(args[2]) : 20;
        waitUntilReady(management.resolve("/health/ready"), Duration.ofSeconds(60));
        long until = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        AtomicLong requests = new AtomicLong();
        AtomicLong serverErrors = new AtomicLong();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < 16; c++) {
                int client = c;
                clients.submit(() -> {
                    long n = 0;
                    while (System.nanoTime() < until) {
                        for (HttpRequest r : round(base, management, client, n++)) {
                            int status = send(r);
                            requests.incrementAndGet();
                            if (status >= 500 && status != 503) {
                                serverErrors.incrementAndGet();
                            }
                        }
                    }
                    return null;
                });
            }
        }
        System.out.println("TRAINING requests=" + requests.get() + " serverErrors=" + serverErrors.get());
        if (serverErrors.get() > 0) {
            System.exit(1);
        }
    }

    private static List<HttpRequest> round(URI base, URI management, int client, long n) {
        String sid = "train-" + client + "-" + n;
        long ts = 1767225600000L + n;
        List<HttpRequest> out = new ArrayList<>();
        for (String type : List.of(
                "init",
                "heartbeat",
                "heartbeat",
                "heartbeat",
                "playing",
                "paused",
                "buffering",
                "buffered",
                "seeking",
                "seeked",
                "loading",
                "loaded")) {
            out.add(post(base, "/", "application/json", event(type, sid, ts, null)));
        }
        out.add(post(base, "/", "text/plain", event("metadata", sid, ts, "{\"live\":false,\"contentId\":\"c1\"}")));
        out.add(post(base, "/", null, event("bitrate_changed", sid, ts, "{\"bitrate\":4500,\"width\":1920}")));
        out.add(post(base, "/", "application/json", event("error", sid, ts, "{\"code\":\"E1\",\"data\":{\"a\":[1]}}")));
        out.add(post(base, "/", "application/json", event("warning", sid, ts, "{\"code\":\"W1\"}")));
        out.add(post(base, "/", "application/json", event("stopped", sid, ts, "{\"reason\":\"ended\"}")));
        out.add(post(base, "/", "application/json", event("pause", sid, ts, null))); // invalid
        out.add(post(base, "/", "application/json", "{\"event\":")); // malformed
        String batch = "[" + event("heartbeat", sid + "-b1", ts, null) + "," + event("heartbeat", sid + "-b2", ts, null)
                + "," + event("nope", sid, ts, null) + "]";
        out.add(post(base, "/", "application/json", batch));
        out.add(post(
                base,
                "/",
                "application/x-ndjson",
                event("playing", sid + "-n1", ts, null) + "\n" + event("paused", sid + "-n2", ts, null) + "\n"));
        out.add(HttpRequest.newBuilder(base.resolve("/"))
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(batch)))
                .build());
        String cmcdSid = "sid=\"" + sid + "\"";
        out.add(post(
                base,
                "/cmcd",
                "application/cmcd",
                "cid=\"m\",e=ps,sn=0," + cmcdSid + ",sta=s,ts=" + ts + ",v=2\n"
                        + "br=(3000;v 128;a),e=ps,msd=1450,pt=0," + cmcdSid + ",sn=1,sta=p,ts=" + (ts + 1) + ",v=2\n"
                        + "e=t,pt=5000," + cmcdSid + ",ts=" + (ts + 2) + ",v=2\n"
                        + "br=(4500;v),e=bc," + cmcdSid + ",ts=" + (ts + 3) + ",v=2\n"
                        + "e=e,ec=(\"E1\")," + cmcdSid + ",ts=" + (ts + 4) + ",v=2\n"
                        + "e=ps," + cmcdSid + ",sta=e,ts=" + (ts + 5) + ",v=2\n"));
        out.add(HttpRequest.newBuilder(base.resolve(
                        "/cmcd?CMCD=" + URLEncoder.encode("e=t," + cmcdSid + ",ts=" + ts, StandardCharsets.UTF_8)))
                .GET()
                .build());
        out.add(HttpRequest.newBuilder(base.resolve("/cmcd"))
                .header("CMCD-Request", "e=ps,ts=" + ts)
                .header("CMCD-Status", "sta=a")
                .header("CMCD-Session", cmcdSid)
                .GET()
                .build());
        out.add(post(
                base,
                "/cmcd",
                "application/json",
                "{\"cmcd\":{\"session\":{\"sid\":\"" + sid + "\"},\"event\":{\"e\":\"st\",\"ts\":" + ts + "}}}"));
        out.add(HttpRequest.newBuilder(base.resolve("/"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://player.example")
                .header("Access-Control-Request-Method", "POST")
                .build());
        out.add(HttpRequest.newBuilder(base.resolve("/nope")).GET().build());
        if (n % 20 == 0) {
            out.add(HttpRequest.newBuilder(management.resolve("/metrics")).GET().build());
            out.add(HttpRequest.newBuilder(management.resolve("/health/ready"))
                    .GET()
                    .build());
        }
        return out;
    }

    private static String event(String type, String sid, long ts, String payload) {
        return "{\"event\":\"" + type + "\",\"sessionId\":\"" + sid + "\",\"timestamp\":" + ts
                + ",\"playhead\":1000,\"duration\":600000" + (payload == null ? "" : ",\"payload\":" + payload) + "}";
    }

    private static HttpRequest post(URI base, String path, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return b.build();
    }

    private static byte[] gzip(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(s.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static int send(HttpRequest r) {
        try {
            return HTTP.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void waitUntilReady(URI ready, Duration max) throws InterruptedException {
        long until = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < until) {
            if (send(HttpRequest.newBuilder(ready).GET().build()) == 200) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the service did not become ready at " + ready);
    }
}
