package io.eventsink.service.epas;

import io.eventsink.service.epas.EpasRules.PayloadRule;
import java.util.HashMap;
import java.util.Map;

/** The 15 EPAS 0.5.0 event names and what payload each one carries. */
public enum EventType {
    INIT("init", PayloadRule.NONE),
    METADATA("metadata", PayloadRule.METADATA),
    HEARTBEAT("heartbeat", PayloadRule.NONE),
    LOADING("loading", PayloadRule.NONE),
    LOADED("loaded", PayloadRule.NONE),
    PLAYING("playing", PayloadRule.NONE),
    PAUSED("paused", PayloadRule.NONE),
    BUFFERING("buffering", PayloadRule.NONE),
    BUFFERED("buffered", PayloadRule.NONE),
    SEEKING("seeking", PayloadRule.NONE),
    SEEKED("seeked", PayloadRule.NONE),
    BITRATE_CHANGED("bitrate_changed", PayloadRule.BITRATE),
    ERROR("error", PayloadRule.PROBLEM),
    WARNING("warning", PayloadRule.PROBLEM),
    STOPPED("stopped", PayloadRule.STOPPED);

    private static final Map<String, EventType> BY_WIRE_NAME = new HashMap<>();

    static {
        for (EventType type : values()) {
            BY_WIRE_NAME.put(type.wireName, type);
        }
    }

    private final String wireName;
    private final PayloadRule payloadRule;

    EventType(String wireName, PayloadRule payloadRule) {
        this.wireName = wireName;
        this.payloadRule = payloadRule;
    }

    /** The name as it appears in the {@code event} field, e.g. {@code bitrate_changed}. */
    public String wireName() {
        return wireName;
    }

    /** The payload this type carries (its shape is in {@link EpasRules}). */
    PayloadRule payloadRule() {
        return payloadRule;
    }

    /** The type for an exact, lower-case wire name, or null. */
    public static EventType fromWireName(String name) {
        return BY_WIRE_NAME.get(name);
    }
}
