package io.eventsink.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.eventsink.embeddedsqs.EmbeddedSqs;
import io.eventsink.service.HostileInputTest.Raw;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The front ends that talk HTTP/1.0 to the service, for real, started by the test on ephemeral
 * ports with their configuration and logs in a temporary folder: Debian's nginx with a default
 * {@code proxy_pass} (HTTP/1.0 and {@code Connection: close} to the upstream), HAProxy with its
 * default health check (HTTP/1.0, no Host) against {@code /health/ready}, and ApacheBench. A front
 * end that is not installed skips its test, and fails it when {@code EVENTSINK_REQUIRE_FRONTENDS=1}
 * (as in {@code .ci/run}, which installs them).
 */
class FrontEndsTest {

    private static final String REQUIRED = "EVENTSINK_REQUIRE_FRONTENDS";
    private static final List<Process> STARTED = new ArrayList<>();
    private static EmbeddedSqs sqs;
    private static String queue;
    private static RunningSink sink;
    private static Path dir;

    @BeforeAll
    static void start() throws IOException {
        sqs = EmbeddedSqs.start();
        queue = sqs.createQueue("front-ends");
        sink = RunningSink.sqs(sqs, queue, Map.of());
        dir = Files.createTempDirectory("eventsink-front-ends");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            for (Process p : STARTED) {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            sink.close();
            sqs.close();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    /** The installed program, else the test is skipped (failed when the front ends are required). */
    private static String program(String name) {
        Stream<String> dirs = Stream.concat(
                Stream.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"),
                Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        return dirs.map(d -> Path.of(d, name))
                .filter(Files::isExecutable)
                .map(Path::toString)
                .findFirst()
                .orElseGet(() -> {
                    String why = name + " is not installed (Debian packages nginx, haproxy, apache2-utils)";
                    if ("1".equals(System.getenv(REQUIRED))) {
                        fail(why + ", and " + REQUIRED + "=1");
                    }
                    Assumptions.abort(why);
                    return null;
                });
    }

    private static void launch(String name, String... command) throws IOException {
        STARTED.add(new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .start());
    }

    private static Path config(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static int stored() {
        return sqs.approximateCount(queue);
    }

    private static HttpResponse<String> post(URI uri, String body, String contentType) {
        return RunningSink.send(HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private static boolean answers(URI uri) {
        try {
            RunningSink.send(HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(5))
                    .GET()
                    .build());
            return true;
        } catch (UncheckedIOException notYet) {
            return false;
        }
    }

    @Test
    void nginxWithItsDefaultProxyPass() throws Exception {
        String nginx = program("nginx");
        int port = EmbeddedSqs.freePort();
        Path conf = config("nginx.conf", """
                daemon off;
                master_process off;
                pid %1$s/nginx.pid;
                error_log %1$s/nginx-error.log warn;
                events { worker_connections 64; }
                http {
                    log_format upstream '$status $upstream_status $upstream_http_connection';
                    access_log %1$s/nginx-access.log upstream;
                    client_body_temp_path %1$s/nginx-body;
                    proxy_temp_path %1$s/nginx-proxy;
                    fastcgi_temp_path %1$s/nginx-fastcgi;
                    uwsgi_temp_path %1$s/nginx-uwsgi;
                    scgi_temp_path %1$s/nginx-scgi;
                    server {
                        listen 127.0.0.1:%2$d;
                        # nginx's defaults: HTTP/1.0 to the upstream, Connection: close
                        location / { proxy_pass http://127.0.0.1:%3$d; }
                    }
                }
                """.formatted(dir, port, sink.server.port()));
        launch("nginx", nginx, "-e", dir.resolve("nginx-error.log").toString(), "-p", dir + "/", "-c", conf.toString());
        URI front = URI.create("http://127.0.0.1:" + port + "/");
        await().atMost(Duration.ofSeconds(30)).until(() -> answers(front));
        int before = stored();

        HttpResponse<String> event = post(front, Events.heartbeat("nginx-1", 1700000000000L), "application/json");
        assertThat(event.statusCode()).isEqualTo(200);
        assertThat(event.body()).isEqualTo("{\"sessionId\":\"nginx-1\",\"valid\":true}");
        String batch = "[" + Events.heartbeat("nginx-2", 1700000000000L) + ","
                + Events.heartbeat("nginx-2", 1700000005000L) + "]";
        assertThat(post(front, batch, "application/json").body()).contains("\"stored\":2");
        HttpResponse<String> cmcd = post(
                front.resolve("/cmcd"), "e=ps,sid=\"nginx-3\",sn=0,sta=p,ts=1767225601450,v=2", "application/cmcd");
        assertThat(cmcd.statusCode()).isEqualTo(204);
        HttpResponse<String> invalid = post(front, "{\"event\":\"pause\"}", "application/json");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("\"event: unknown type 'pause'\"");
        // one, two in the batch, and the report's init (its sn=0) and playing
        assertThat(stored()).isEqualTo(before + 5);
        // every answer came from the service (not from nginx) and closed the connection, as HTTP/1.0 asks
        List<String> log = Files.readAllLines(dir.resolve("nginx-access.log"));
        assertThat(log).contains("200 200 close", "204 204 close", "400 400 close");
    }

    @Test
    void haproxyDefaultHealthCheckSeesTheServiceUp() throws Exception {
        String haproxy = program("haproxy");
        int port = EmbeddedSqs.freePort();
        int statsPort = EmbeddedSqs.freePort();
        Path conf =
                config("haproxy.cfg", """
                defaults
                    mode http
                    timeout connect 5s
                    timeout client 30s
                    timeout server 30s
                frontend events
                    bind 127.0.0.1:%d
                    default_backend eventsink
                frontend stats
                    bind 127.0.0.1:%d
                    stats enable
                    stats uri /stats
                backend eventsink
                    # HAProxy's default check request: HTTP/1.0, no Host
                    option httpchk GET /health/ready
                    server pod 127.0.0.1:%d check port %d inter 200ms fall 2 rise 2
                """.formatted(port, statsPort, sink.server.port(), sink.server.managementPort()));
        launch("haproxy", haproxy, "-db", "-f", conf.toString());
        URI stats = URI.create("http://127.0.0.1:" + statsPort + "/stats;csv");
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> answers(stats) && "UP".equals(serverColumn(stats, "status")));
        assertThat(serverColumn(stats, "check_code")).isEqualTo("200");
        int before = stored();

        URI front = URI.create("http://127.0.0.1:" + port + "/");
        HttpResponse<String> event = post(front, Events.heartbeat("haproxy-1", 1700000000000L), "application/json");
        assertThat(event.statusCode()).isEqualTo(200);
        assertThat(event.body()).isEqualTo("{\"sessionId\":\"haproxy-1\",\"valid\":true}");
        try (Raw raw = new Raw(port)) {
            raw.send(Http10Test.post10("", Events.heartbeat("haproxy-2", 1700000000000L)));
            Raw.Answer answer = raw.read();
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).contains("haproxy-2");
        }
        assertThat(stored()).isEqualTo(before + 2);
    }

    /** A column of the service's row in HAProxy's statistics (CSV). */
    private static String serverColumn(URI stats, String column) {
        String[] lines = RunningSink.send(HttpRequest.newBuilder(stats).GET().build())
                .body()
                .split("\n");
        List<String> names = List.of(lines[0].replaceFirst("^# ", "").split(","));
        for (String line : lines) {
            if (line.startsWith("eventsink,pod,")) {
                return line.split(",", -1)[names.indexOf(column)];
            }
        }
        return "";
    }

    @Test
    void apacheBenchGetsEveryRequestStored() throws Exception {
        String ab = program("ab");
        Path event = config("event.json", Events.heartbeat("ab-1", 1700000000000L));
        String url = "http://127.0.0.1:" + sink.server.port() + "/";
        int before = stored();
        String closing = run(ab, "-n", "2000", "-c", "20", "-p", event.toString(), "-T", "application/json", url);
        assertEveryRequestAnswered2xx(closing);
        String kept = run(ab, "-k", "-n", "2000", "-c", "20", "-p", event.toString(), "-T", "application/json", url);
        assertEveryRequestAnswered2xx(kept);
        assertThat(count(kept, "Keep-Alive requests")).isEqualTo(2000);
        assertThat(stored()).isEqualTo(before + 4000);
    }

    private static String run(String... command) throws Exception {
        Path out = dir.resolve("ab.out");
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        STARTED.add(p);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("ab finished").isTrue();
        String report = Files.readString(out);
        assertThat(p.exitValue()).as(report).isZero();
        return report;
    }

    private static void assertEveryRequestAnswered2xx(String report) {
        assertThat(count(report, "Complete requests")).as(report).isEqualTo(2000);
        assertThat(count(report, "Failed requests")).as(report).isZero();
        assertThat(count(report, "Non-2xx responses")).as(report).isZero();
    }

    /** A count in ab's report; 0 when the line is missing (ab leaves out "Non-2xx responses: 0"). */
    private static int count(String report, String name) {
        Matcher m =
                Pattern.compile("^" + name + ":\\s+(\\d+)", Pattern.MULTILINE).matcher(report);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
