package io.eventsink.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * OperatorMain in its own JVM, configured through the environment as the chart configures a replica, against the
 * mock API server, with its own bearer token so that the API server's request log tells who sent what.
 */
final class OperatorProcess implements AutoCloseable {
    final Process process;
    final int managementPort;

    private OperatorProcess(Process process, int managementPort) {
        this.process = process;
        this.managementPort = managementPort;
    }

    static OperatorProcess start(KubernetesClient client, String identity, Map<String, String> extraEnv)
            throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = Path.of("target", "operator-" + identity + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        OperatorMain.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.remove("KUBECONFIG");
        env.putAll(Map.of(
                "KUBERNETES_MASTER",
                client.getMasterUrl().toString(),
                "KUBERNETES_TRUST_CERTIFICATES",
                "true",
                "KUBERNETES_AUTH_TRYKUBECONFIG",
                "false",
                "KUBERNETES_AUTH_TRYSERVICEACCOUNT",
                "false",
                "KUBERNETES_AUTH_TOKEN",
                identity,
                "POD_NAME",
                identity,
                "OPERATOR_MANAGEMENT_PORT",
                String.valueOf(port)));
        env.putAll(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test"));
        env.putAll(extraEnv);
        return new OperatorProcess(pb.start(), port);
    }

    /** The operator's /metrics, or "" while it is not up. */
    String metrics() {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The sum of a metric's series on /metrics (0 when absent). */
    double metric(String name) {
        return metrics()
                .lines()
                .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** Heap in use, MiB (jvm_memory_used_bytes over the heap pools). */
    double heapMiB() {
        return metrics()
                        .lines()
                        .filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                        .sum()
                / 1024
                / 1024;
    }

    /** CPU seconds the process used so far (user + system, from /proc). */
    double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime in clock ticks (USER_HZ 100)
    }

    /** SIGKILL, and wait for it. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
