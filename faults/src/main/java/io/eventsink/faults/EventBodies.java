package io.eventsink.faults;

/**
 * Valid EPAS 0.5.0 events with a given unique {@code sessionId}: a mix of types (with and
 * without payload) so that the load looks like players, not one repeated body.
 */
final class EventBodies {

    private EventBodies() {}

    static String event(String sessionId, long seq) {
        long ts = 1_700_000_000_000L + seq;
        String head = "{\"event\":\"%s\",\"sessionId\":\"" + sessionId + "\",\"timestamp\":" + ts + ",\"playhead\":"
                + (seq * 1000) + ",\"duration\":600000";
        return switch ((int) (seq % 6)) {
            case 0 -> head.formatted("init").replace(",\"playhead\":" + (seq * 1000), ",\"playhead\":-1") + "}";
            case 1 ->
                head.formatted("metadata") + ",\"payload\":{\"live\":false,\"contentId\":\"bbb\","
                        + "\"contentTitle\":\"Big Buck Bunny\",\"deviceType\":\"tv\"}}";
            case 2 -> head.formatted("playing") + "}";
            case 3 ->
                head.formatted("bitrate_changed") + ",\"payload\":{\"bitrate\":4500,\"width\":1920,\"height\":1080}}";
            default -> head.formatted("heartbeat") + "}";
        };
    }
}
