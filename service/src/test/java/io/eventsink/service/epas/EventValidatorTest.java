package io.eventsink.service.epas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventValidatorTest {

    private final EventValidator validator = new EventValidator(
            32, java.util.regex.Pattern.compile(io.eventsink.settings.ServiceSettings.SHARD_ID_PATTERN_DEFAULT));

    private ValidationResult validate(String body) {
        return validator.validate(body.getBytes(StandardCharsets.UTF_8));
    }

    private static String ev(String type, String extra) {
        return "{\"event\":\"" + type + "\",\"sessionId\":\"s-1\",\"timestamp\":1700000000000,\"playhead\":-1,"
                + "\"duration\":-1" + extra + "}";
    }

    static Stream<Arguments> validEvents() {
        return Stream.of(
                Arguments.of("init", ""),
                Arguments.of("heartbeat", ""),
                Arguments.of("loading", ""),
                Arguments.of("loaded", ""),
                Arguments.of("playing", ""),
                Arguments.of("paused", ""),
                Arguments.of("buffering", ""),
                Arguments.of("buffered", ""),
                Arguments.of("seeking", ""),
                Arguments.of("seeked", ""),
                Arguments.of("metadata", ",\"payload\":{}"),
                Arguments.of(
                        "metadata",
                        ",\"payload\":{\"live\":true,\"contentTitle\":\"T\",\"contentId\":\"c\","
                                + "\"contentUrl\":\"u\",\"drmType\":\"fairplay\",\"userId\":\"u\",\"deviceId\":\"d\","
                                + "\"deviceModel\":\"m\",\"deviceType\":\"tv\",\"custom\":\"x\",\"flag\":false}"),
                Arguments.of("bitrate_changed", ",\"payload\":{\"bitrate\":1.5e3}"),
                Arguments.of(
                        "bitrate_changed",
                        ",\"payload\":{\"bitrate\":3000,\"width\":1280,\"height\":720,"
                                + "\"videoBitrate\":2800,\"audioBitrate\":200}"),
                Arguments.of("error", ",\"payload\":{\"code\":\"E1\"}"),
                Arguments.of(
                        "error",
                        ",\"payload\":{\"code\":\"E1\",\"category\":\"NETWORK\",\"message\":\"m\","
                                + "\"data\":{\"nested\":{\"deep\":[1,2,3]}}}"),
                Arguments.of("warning", ",\"payload\":{\"code\":\"W\",\"category\":\"c\"}"),
                Arguments.of("stopped", ",\"payload\":{\"reason\":\"ended\"}"),
                Arguments.of("heartbeat", ",\"shardId\":\"shard-7\""));
    }

    @ParameterizedTest(name = "{0}{1}")
    @MethodSource("validEvents")
    void acceptsEveryEventTypeWithItsPayload(String type, String extra) {
        String body = ev(type, extra);
        ValidationResult result = validate(body);
        assertThat(result.errors()).isEmpty();
        assertThat(result.type().wireName()).isEqualTo(type);
        assertThat(result.sessionId()).isEqualTo("s-1");
        assertThat(result.timestampText()).isEqualTo("1700000000000");
        assertThat(result.json()).isEqualTo(body);
    }

    @Test
    void keepsTheTimestampAsWrittenAndAcceptsDecimalsAndMinusOne() {
        ValidationResult result = validate("{\"event\":\"heartbeat\",\"sessionId\":\"a\",\"timestamp\":1.7e12,"
                + "\"playhead\":12.5,\"duration\":-1}");
        assertThat(result.valid()).isTrue();
        assertThat(result.timestampText()).isEqualTo("1.7e12");
    }

    static Stream<Arguments> invalidEvents() {
        String base = "\"sessionId\":\"s\",\"timestamp\":1,\"playhead\":1,\"duration\":1";
        return Stream.of(
                Arguments.of("{\"event\":\"pause\"," + base + "}", "event: unknown type 'pause'"),
                Arguments.of("{\"event\":\"Heartbeat\"," + base + "}", "event: unknown type 'Heartbeat'"),
                Arguments.of("{\"event\":7," + base + "}", "event: expected string, got number"),
                Arguments.of("{" + base + "}", "event: required"),
                Arguments.of(
                        "{\"event\":\"heartbeat\",\"timestamp\":1,\"playhead\":1,\"duration\":1}",
                        "sessionId: required"),
                Arguments.of(
                        "{\"event\":\"heartbeat\",\"sessionId\":5,\"timestamp\":1,\"playhead\":1,\"duration\":1}",
                        "sessionId: expected string, got number"),
                Arguments.of(
                        "{\"event\":\"heartbeat\",\"sessionId\":\"s\",\"timestamp\":\"1\",\"playhead\":1,"
                                + "\"duration\":1}",
                        "timestamp: expected number, got string"),
                Arguments.of(
                        "{\"event\":\"heartbeat\",\"sessionId\":\"s\",\"timestamp\":null,\"playhead\":1,"
                                + "\"duration\":1}",
                        "timestamp: expected number, got null"),
                Arguments.of(
                        "{\"event\":\"heartbeat\",\"sessionId\":\"s\",\"timestamp\":1,\"playhead\":true,"
                                + "\"duration\":1}",
                        "playhead: expected number, got boolean"),
                Arguments.of(
                        "{\"event\":\"heartbeat\",\"sessionId\":\"s\",\"timestamp\":1,\"playhead\":1}",
                        "duration: required"),
                Arguments.of(
                        "{\"event\":\"heartbeat\",\"sessionId\":\"s\",\"timestamp\":1,\"duration\":1}",
                        "playhead: required"),
                Arguments.of("{\"event\":\"heartbeat\"," + base + ",\"extra\":1}", "extra: unknown property"),
                Arguments.of(
                        "{\"event\":\"heartbeat\"," + base + ",\"shardId\":3}", "shardId: expected string, got number"),
                Arguments.of(
                        "{\"event\":\"heartbeat\"," + base + ",\"payload\":{}}",
                        "payload: not allowed for event 'heartbeat'"),
                Arguments.of(
                        "{\"event\":\"init\"," + base + ",\"payload\":{}}", "payload: not allowed for event 'init'"),
                Arguments.of("{\"event\":\"metadata\"," + base + "}", "payload: required for event 'metadata'"),
                Arguments.of(
                        "{\"event\":\"metadata\"," + base + ",\"payload\":[]}", "payload: expected object, got array"),
                Arguments.of(
                        "{\"event\":\"metadata\"," + base + ",\"payload\":{\"live\":\"yes\"}}",
                        "payload.live: expected boolean, got string"),
                Arguments.of(
                        "{\"event\":\"metadata\"," + base + ",\"payload\":{\"contentId\":5}}",
                        "payload.contentId: expected string, got number"),
                Arguments.of(
                        "{\"event\":\"metadata\"," + base + ",\"payload\":{\"custom\":{}}}",
                        "payload.custom: expected string or boolean, got object"),
                Arguments.of(
                        "{\"event\":\"bitrate_changed\"," + base + ",\"payload\":{\"width\":1}}",
                        "payload.bitrate: required for event 'bitrate_changed'"),
                Arguments.of(
                        "{\"event\":\"bitrate_changed\"," + base + ",\"payload\":{\"bitrate\":\"1\"}}",
                        "payload.bitrate: expected number, got string"),
                Arguments.of(
                        "{\"event\":\"bitrate_changed\"," + base + ",\"payload\":{\"bitrate\":1,\"fps\":30}}",
                        "payload.fps: unknown property for event 'bitrate_changed'"),
                Arguments.of(
                        "{\"event\":\"stopped\"," + base + ",\"payload\":{}}",
                        "payload.reason: required for event 'stopped'"),
                Arguments.of("{\"event\":\"stopped\"," + base + "}", "payload: required for event 'stopped'"),
                Arguments.of(
                        "{\"event\":\"error\"," + base + ",\"payload\":{\"message\":\"m\"}}",
                        "payload.code: required for event 'error'"),
                Arguments.of(
                        "{\"event\":\"warning\"," + base + ",\"payload\":{\"code\":1}}",
                        "payload.code: expected string, got number"),
                Arguments.of(
                        "{\"event\":\"error\"," + base + ",\"payload\":{\"code\":\"c\",\"data\":[]}}",
                        "payload.data: expected object, got array"),
                Arguments.of(
                        "{\"event\":\"heartbeat\",\"event\":\"heartbeat\",\"sessionId\":\"s\",\"timestamp\":1,"
                                + "\"playhead\":1,\"duration\":1}",
                        "event: appears more than once"),
                Arguments.of(
                        "{\"event\":\"stopped\"," + base + ",\"payload\":{\"reason\":\"a\",\"reason\":\"b\"}}",
                        "payload.reason: appears more than once"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidEvents")
    void saysWhatIsWrongWithAnInvalidEvent(String body, String expectedError) {
        ValidationResult result = validate(body);
        assertThat(result.valid()).isFalse();
        assertThat(result.type()).isNull();
        assertThat(result.errors()).contains(expectedError);
    }

    @Test
    void reportsEveryProblemAtOnce() {
        ValidationResult result = validate("{\"event\":\"pause\",\"sessionId\":\"abc\",\"timestamp\":\"x\"}");
        assertThat(result.errors())
                .containsExactlyInAnyOrder(
                        "event: unknown type 'pause'",
                        "timestamp: expected number, got string",
                        "playhead: required",
                        "duration: required");
        assertThat(result.sessionId()).isEqualTo("abc");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "   ",
                "\n",
                "{",
                "}",
                "{\"event\":",
                "[]",
                "[{}]",
                "\"heartbeat\"",
                "42",
                "null",
                "true",
                "{\"event\":NaN}",
                "{\"timestamp\":NaN}",
                "{\"a\":1} x",
                "{} {}",
                "{\"a\":1}}",
                "{'event':'init'}",
                "{\"event\":\"init\",}",
                "{\"event\" \"init\"}"
            })
    void malformedBodiesAreRejectedAsBody(String body) {
        ValidationResult result = validate(body);
        assertThat(result.valid()).isFalse();
        assertThat(result.errors()).hasSize(1);
        assertThat(result.errors().getFirst()).startsWith("body: ");
    }

    @Test
    void refusesAbsurdNestingWithoutWalkingIt() {
        String deep = "{\"event\":\"error\",\"payload\":{\"code\":\"c\",\"data\":" + "[".repeat(100_000)
                + "]".repeat(100_000) + "}}";
        ValidationResult result = validate(deep);
        assertThat(result.errors()).containsExactly("body: nested deeper than 32 levels");
        // Within the limit, nesting is fine.
        String ok =
                ev("error", ",\"payload\":{\"code\":\"c\",\"data\":{\"a\":" + "[".repeat(25) + "]".repeat(25) + "}}");
        assertThat(validate(ok).errors()).isEmpty();
    }

    /** Found by EventValidatorFuzzTest: syntactically valid numbers that readers downstream cannot read. */
    @Test
    void refusesNumbersReadersDownstreamCannotRead() {
        String range = ": number out of range (at most 1000 characters, exponent within an int)";
        String heartbeat = "{\"event\":\"heartbeat\",\"sessionId\":\"s\",\"timestamp\":1,\"playhead\":1,";
        // an exponent beyond an int, either way (BigDecimal, and so Jakarta JSON, throws)
        assertThat(validate(heartbeat + "\"duration\":1E2147483649}").errors()).containsExactly("duration" + range);
        assertThat(validate(heartbeat + "\"duration\":1e-2147483649}").errors()).containsExactly("duration" + range);
        // longer than Jackson reads by default
        String longest = "0." + "0".repeat(997) + "1";
        assertThat(validate(heartbeat + "\"duration\":" + longest + "}").errors())
                .isEmpty();
        assertThat(validate(heartbeat + "\"duration\":" + longest + "0}").errors())
                .containsExactly("duration" + range);
        // at any depth
        assertThat(validate(ev("bitrate_changed", ",\"payload\":{\"bitrate\":1E2147483649}"))
                        .errors())
                .containsExactly("payload.bitrate" + range);
        assertThat(validate(ev("error", ",\"payload\":{\"code\":\"c\",\"data\":{\"n\":[1,2E9999999999]}}"))
                        .errors())
                .containsExactly("payload.data" + range);
        // exponents an int holds stay numbers
        assertThat(validate(heartbeat + "\"duration\":1E2147483647}").errors()).isEmpty();
        assertThat(validate(heartbeat + "\"duration\":4.9E-324}").errors()).isEmpty();
    }

    @Test
    void refusesBytesThatAreNotUtf8AndByteOrderMarks() {
        byte[] latin1 =
                "{\"event\":\"heartbeat\",\"sessionId\":\"caf\u00e9\",\"timestamp\":1,\"playhead\":1,\"duration\":1}"
                        .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(validator.validate(latin1).errors()).containsExactly("body: not valid UTF-8");
        byte[] bom = ("\uFEFF" + ev("heartbeat", "")).getBytes(StandardCharsets.UTF_8);
        assertThat(validator.validate(bom).errors().getFirst()).startsWith("body: starts with a byte order mark");
    }

    @Test
    void refusesCharactersTheQueueCannotCarry() {
        String body =
                "{\"event\":\"heartbeat\",\"sessionId\":\"a\uFFFF\",\"timestamp\":1,\"playhead\":1,\"duration\":1}";
        assertThat(validate(body).errors().getFirst()).contains("U+FFFF");
    }

    @Test
    void keepsUnicodeAndEscapesAsReceived() {
        String body = "{ \"event\" : \"heartbeat\",\n\t\"sessionId\":\"\u00e5\u00e4\u00f6-\uD83C\uDFAC-\\u00e9\\n\","
                + "\"timestamp\":1,\"playhead\":1,\"duration\":1 }\r\n";
        ValidationResult result = validate(body);
        assertThat(result.valid()).isTrue();
        assertThat(result.json()).isEqualTo(body);
        assertThat(result.sessionId()).isEqualTo("\u00e5\u00e4\u00f6-\uD83C\uDFAC-\u00e9\n");
    }

    @Test
    void hugeNumbersAreStillNumbers() {
        String body = "{\"event\":\"heartbeat\",\"sessionId\":\"s\",\"timestamp\":1e400,\"playhead\":" + "9".repeat(400)
                + ",\"duration\":-1}";
        ValidationResult result = validate(body);
        assertThat(result.valid()).isTrue();
        assertThat(result.timestampText()).isEqualTo("1e400");
    }

    @Test
    void echoesAreCutShort() {
        String longName = "x".repeat(5000);
        ValidationResult result = validate("{\"event\":\"" + longName + "\",\"sessionId\":\"s\",\"timestamp\":1,"
                + "\"playhead\":1,\"duration\":1,\"" + longName + "\":1}");
        assertThat(result.errors()).allSatisfy(e -> assertThat(e.length()).isLessThan(120));
    }

    @Test
    void everyEventTypeHasAWireName() {
        assertThat(EventType.values()).hasSize(15);
        for (EventType type : EventType.values()) {
            assertThat(EventType.fromWireName(type.wireName())).isSameAs(type);
        }
        assertThat(Map.of("bitrateChanged", "x").keySet())
                .allSatisfy(n -> assertThat(EventType.fromWireName(n)).isNull());
    }
}
