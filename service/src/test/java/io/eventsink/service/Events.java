package io.eventsink.service;

import java.util.LinkedHashMap;
import java.util.Map;

/** Valid EPAS 0.5.0 events, one per type, as a player would send them. */
final class Events {

    private Events() {}

    /** Every event type with a valid body for session {@code sid}. */
    static Map<String, String> allValid(String sid) {
        Map<String, String> events = new LinkedHashMap<>();
        events.put("init", event("init", sid, -1, -1, -1, null));
        events.put(
                "metadata",
                event(
                        "metadata",
                        sid,
                        1700000000100L,
                        0,
                        600000,
                        "{\"live\":false,\"contentTitle\":\"Big Buck Bunny\",\"contentId\":\"bbb\","
                                + "\"contentUrl\":\"https://cdn.example/bbb.m3u8\",\"drmType\":\"widevine\",\"userId\":\"u1\","
                                + "\"deviceId\":\"d1\",\"deviceModel\":\"Pixel 8\",\"deviceType\":\"mobile\","
                                + "\"customerTier\":\"gold\",\"autoplay\":true}"));
        events.put("heartbeat", event("heartbeat", sid, 1700000005000L, 5000, 600000, null));
        events.put("loading", event("loading", sid, 1700000000200L, 0, 600000, null));
        events.put("loaded", event("loaded", sid, 1700000000300L, 0, 600000, null));
        events.put("playing", event("playing", sid, 1700000000400L, 0, 600000, null));
        events.put("paused", event("paused", sid, 1700000010000L, 9600.5, 600000, null));
        events.put("buffering", event("buffering", sid, 1700000011000L, 9600, 600000, null));
        events.put("buffered", event("buffered", sid, 1700000011500L, 9600, 600000, null));
        events.put("seeking", event("seeking", sid, 1700000012000L, 9600, 600000, null));
        events.put("seeked", event("seeked", sid, 1700000012200L, 120000, 600000, null));
        events.put(
                "bitrate_changed",
                event(
                        "bitrate_changed",
                        sid,
                        1700000013000L,
                        121000,
                        600000,
                        "{\"bitrate\":4500,\"width\":1920,\"height\":1080,\"videoBitrate\":4300,\"audioBitrate\":200}"));
        events.put(
                "error",
                event(
                        "error",
                        sid,
                        1700000014000L,
                        122000,
                        600000,
                        "{\"category\":\"NETWORK\",\"code\":\"404\",\"message\":\"segment missing\","
                                + "\"data\":{\"url\":\"https://cdn.example/seg1.ts\",\"retries\":[1,2,{\"x\":null}]}}"));
        events.put(
                "warning",
                event("warning", sid, 1700000015000L, 123000, 600000, "{\"category\":\"DRM\",\"code\":\"W1\"}"));
        events.put("stopped", event("stopped", sid, 1700000016000L, 124000, 600000, "{\"reason\":\"ended\"}"));
        return events;
    }

    static String event(String type, String sid, long timestamp, double playhead, long duration, String payload) {
        String head = "{\"event\":\"" + type + "\",\"sessionId\":\"" + sid + "\",\"timestamp\":" + timestamp
                + ",\"playhead\":"
                + (playhead == Math.rint(playhead) ? Long.toString((long) playhead) : Double.toString(playhead))
                + ",\"duration\":" + duration;
        return head + (payload == null ? "" : ",\"payload\":" + payload) + "}";
    }

    static String heartbeat(String sid, long timestamp) {
        return event("heartbeat", sid, timestamp, 1000, 600000, null);
    }
}
