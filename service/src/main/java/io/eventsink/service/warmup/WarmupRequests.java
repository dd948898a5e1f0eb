package io.eventsink.service.warmup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * The requests the warm-up sends: what players send, in about the proportions they send it — single
 * EPAS events of every type (mostly heartbeats), batches as JSON arrays, NDJSON and gzip, CMCD event
 * reports, and some invalid events — so every path a pod will serve gets compiled.
 */
final class WarmupRequests {

    /** One request: where it goes, its content type and encoding (or null), its body. */
    record Request(String path, String contentType, String contentEncoding, byte[] body) {}

    private static final String[] TYPES = {
        "heartbeat", "heartbeat", "heartbeat", "heartbeat", "heartbeat", "heartbeat", "playing", "paused",
        "buffering", "buffered", "seeking", "seeked", "bitrate_changed", "metadata", "init", "loading",
        "loaded", "warning", "error", "stopped"
    };

    private WarmupRequests() {}

    /** The {@code n}th request of a warm-up stream {@code stream}. */
    static Request next(int stream, long n) {
        String sid = "warmup-" + stream + "-" + n;
        long ts = 1_700_000_000_000L + n;
        return switch ((int) (n % 20)) {
            case 0 ->
                new Request("/", "application/json", null, array(sid, ts, 10).getBytes(StandardCharsets.UTF_8));
            case 1 ->
                new Request(
                        "/", "application/x-ndjson", null, ndjson(sid, ts, 5).getBytes(StandardCharsets.UTF_8));
            case 2 -> new Request("/", "application/json", "gzip", gzip(array(sid, ts, 20)));
            case 3, 4 ->
                new Request("/cmcd", "application/cmcd", null, cmcd(sid, ts).getBytes(StandardCharsets.UTF_8));
            case 5 -> new Request("/", "application/json", null, invalid(sid).getBytes(StandardCharsets.UTF_8));
            default ->
                new Request(
                        "/",
                        n % 2 == 0 ? "text/plain" : "application/json",
                        null,
                        event(TYPES[(int) (n % TYPES.length)], sid, ts).getBytes(StandardCharsets.UTF_8));
        };
    }

    static String event(String type, String sid, long ts) {
        String payload = switch (type) {
            case "bitrate_changed" ->
                ",\"payload\":{\"bitrate\":4500,\"width\":1920,\"height\":1080,\"videoBitrate\":4300}";
            case "metadata" ->
                ",\"payload\":{\"live\":false,\"contentTitle\":\"Warm-up\",\"contentId\":\"w\",\"deviceType\":\"tv\"}";
            case "warning", "error" -> ",\"payload\":{\"category\":\"NETWORK\",\"code\":\"W1\",\"message\":\"slow\"}";
            case "stopped" -> ",\"payload\":{\"reason\":\"ended\"}";
            default -> "";
        };
        boolean init = type.equals("init");
        return "{\"event\":\"" + type + "\",\"sessionId\":\"" + sid + "\",\"timestamp\":" + (init ? -1 : ts)
                + ",\"playhead\":" + (init ? -1 : ts % 600_000) + ",\"duration\":" + (init ? -1 : 600_000) + payload
                + "}";
    }

    private static String array(String sid, long ts, int count) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            out.append(i == 0 ? "" : ",").append(event(TYPES[i % TYPES.length], sid + "-" + i, ts + i));
        }
        return out.append(']').toString();
    }

    private static String ndjson(String sid, long ts, int count) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < count; i++) {
            out.append(event("heartbeat", sid + "-" + i, ts + i)).append('\n');
        }
        return out.toString();
    }

    private static String cmcd(String sid, long ts) {
        return "cid=\"warmup\",e=ps,sid=\"" + sid + "\",sn=0,sta=s,ts=" + ts + ",v=2\n"
                + "br=(3000;v 128;a),e=ps,msd=1450,pt=0,sid=\"" + sid + "\",sn=1,sta=p,ts=" + (ts + 1450) + ",v=2\n"
                + "e=t,pt=10000,sid=\"" + sid + "\",sn=2,ts=" + (ts + 11450) + ",v=2\n";
    }

    private static String invalid(String sid) {
        return "{\"event\":\"pause\",\"sessionId\":\"" + sid + "\",\"timestamp\":\"now\",\"playhead\":0}";
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
