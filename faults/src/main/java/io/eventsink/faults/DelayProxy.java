package io.eventsink.faults;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on loopback that stands for the network between the service and SQS: it forwards
 * {@code listenPort -> targetPort}, holding every chunk going to the target for {@code delayMs}
 * (a slow queue), and can cut the path (close every connection and stop listening: the queue is
 * unreachable) and open it again. Order within a connection is kept.
 *
 * <pre>
 * java io.eventsink.faults.DelayProxy listen=23401 target=23424 delayMs=0 control=23402
 *   control port, one command per line: "delay 300", "cut", "open"; answers "ok ..."
 * </pre>
 */
public final class DelayProxy {

    private final int listenPort;
    private final int targetPort;
    private volatile long delayNanos;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;

    private DelayProxy(int listenPort, int targetPort, long delayMs) {
        this.listenPort = listenPort;
        this.targetPort = targetPort;
        this.delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMs);
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = Args.parse(argv);
        DelayProxy proxy = new DelayProxy(
                Integer.parseInt(args.get("listen")),
                Integer.parseInt(args.get("target")),
                Long.parseLong(args.getOrDefault("delayMs", "0")));
        proxy.openPath();
        int control = Integer.parseInt(args.get("control"));
        System.out.println("PROXY listen=" + proxy.listenPort + " target=" + proxy.targetPort + " control=" + control);
        System.out.flush();
        proxy.serveControl(control);
    }

    private void serveControl(int port) throws IOException {
        try (ServerSocket control = new ServerSocket(port, 8, InetAddress.getLoopbackAddress())) {
            while (true) {
                try (Socket s = control.accept();
                        BufferedReader in =
                                new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                        PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8)) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        String[] cmd = line.trim().split(" +");
                        switch (cmd[0]) {
                            case "delay" -> {
                                delayNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(cmd[1]));
                                out.println("ok delay " + cmd[1]);
                            }
                            case "cut" -> {
                                cutPath();
                                out.println("ok cut");
                            }
                            case "open" -> {
                                openPath();
                                out.println("ok open");
                            }
                            default -> out.println("unknown " + line);
                        }
                    }
                }
            }
        }
    }

    private synchronized void openPath() throws IOException {
        if (listener != null) {
            return;
        }
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort), 256);
        listener = server;
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Thread.ofVirtual().start(() -> connect(client));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    /** Closes the listener (new connections are refused) and every open connection. */
    private synchronized void cutPath() throws IOException {
        if (listener != null) {
            listener.close();
            listener = null;
        }
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    private void connect(Socket client) {
        Socket upstream = new Socket();
        try {
            upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2000);
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(upstream);
            return;
        }
        open.add(client);
        open.add(upstream);
        pump(client, upstream, true);
        pump(upstream, client, false);
    }

    /** Copies {@code from -> to}; towards the target each chunk is held for the current delay. */
    private void pump(Socket from, Socket to, boolean delayed) {
        LinkedBlockingQueue<Chunk> chunks = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (InputStream in = from.getInputStream()) {
                byte[] buf = new byte[16384];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    long due = System.nanoTime() + (delayed ? delayNanos : 0);
                    chunks.put(new Chunk(Arrays.copyOf(buf, n), due));
                }
            } catch (IOException | InterruptedException e) {
                // closed
            } finally {
                chunks.add(Chunk.END);
            }
        });
        Thread.ofVirtual().start(() -> {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk c = chunks.take();
                    if (c == Chunk.END) {
                        break;
                    }
                    long wait = c.due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    out.write(c.bytes);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        });
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private record Chunk(byte[] bytes, long due) {
        static final Chunk END = new Chunk(new byte[0], 0);
    }
}
