package io.eventsink.service.epas;

import static io.eventsink.service.epas.JsonKind.BOOLEAN;
import static io.eventsink.service.epas.JsonKind.NUMBER;
import static io.eventsink.service.epas.JsonKind.OBJECT;
import static io.eventsink.service.epas.JsonKind.STRING;
import static java.util.Map.entry;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The rules of EPAS 0.5.0 as data (docs/epas.md): the members of an event and the payload shapes.
 * Which event type carries which payload is {@link EventType}'s table.
 */
final class EpasRules {

    private EpasRules() {}

    /** The top-level members of an event: the kind of value each takes, and whether it is required. */
    enum Member {
        EVENT("event", STRING, true),
        SESSION_ID("sessionId", STRING, true),
        TIMESTAMP("timestamp", NUMBER, true),
        PLAYHEAD("playhead", NUMBER, true),
        DURATION("duration", NUMBER, true),
        SHARD_ID("shardId", STRING, false),
        PAYLOAD("payload", OBJECT, false);

        /** The required members, in the order their absence is reported. */
        static final List<Member> REQUIRED =
                Stream.of(values()).filter(m -> m.required).toList();

        private static final Map<String, Member> BY_NAME = new HashMap<>();

        static {
            for (Member m : values()) {
                BY_NAME.put(m.wireName, m);
            }
        }

        final String wireName;
        final JsonKind kind;
        final boolean required;

        Member(String wireName, JsonKind kind, boolean required) {
            this.wireName = wireName;
            this.kind = kind;
            this.required = required;
        }

        /** The member of that exact name, or null when EPAS has none. */
        static Member named(String name) {
            return BY_NAME.get(name);
        }
    }

    /**
     * The payload shapes: the member a payload must have (if any), the members it may have and
     * their kinds, and the kinds any other member may take (none: other members are unknown).
     */
    enum PayloadRule {
        /** No payload allowed. */
        NONE(null, Map.of(), Set.of()),
        /** EPAS 0.4.0+ allows custom metadata keys with string or boolean values. */
        METADATA(
                null,
                Map.ofEntries(
                        entry("live", BOOLEAN),
                        entry("contentTitle", STRING),
                        entry("contentId", STRING),
                        entry("contentUrl", STRING),
                        entry("drmType", STRING),
                        entry("userId", STRING),
                        entry("deviceId", STRING),
                        entry("deviceModel", STRING),
                        entry("deviceType", STRING)),
                EnumSet.of(STRING, BOOLEAN)),
        BITRATE(
                "bitrate",
                Map.ofEntries(
                        entry("bitrate", NUMBER),
                        entry("width", NUMBER),
                        entry("height", NUMBER),
                        entry("videoBitrate", NUMBER),
                        entry("audioBitrate", NUMBER)),
                Set.of()),
        PROBLEM(
                "code",
                Map.ofEntries(
                        entry("code", STRING),
                        entry("category", STRING),
                        entry("message", STRING),
                        entry("data", OBJECT)),
                Set.of()),
        STOPPED("reason", Map.ofEntries(entry("reason", STRING)), Set.of());

        /** The member the payload must have, or null. */
        final String required;
        /** The members it may have, and the kind of each. */
        final Map<String, JsonKind> members;
        /** The kinds other members may take; empty when other members are not allowed. */
        final Set<JsonKind> others;
        /** {@link #others} as an error message says it, e.g. "string or boolean". */
        final String othersLabel;

        PayloadRule(String required, Map<String, JsonKind> members, Set<JsonKind> others) {
            this.required = required;
            this.members = members;
            this.others = others;
            this.othersLabel = others.stream().map(k -> k.label).collect(Collectors.joining(" or "));
        }

        boolean allowsPayload() {
            return this != NONE;
        }
    }
}
