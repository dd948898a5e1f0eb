package io.eventsink.service.cmcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventsink.service.epas.EventBatches;
import io.eventsink.service.epas.EventType;
import io.eventsink.service.epas.EventValidator;
import io.eventsink.settings.ServiceSettings;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of the new parsers: no input makes them throw, and whatever a CMCD report maps to is
 * a valid EPAS event. (The HTTP side of the same inputs is in IngestFuzzTest.)
 */
class CmcdFuzzTest {

    private static final EventValidator EPAS =
            new EventValidator(32, Pattern.compile(ServiceSettings.SHARD_ID_PATTERN_DEFAULT));

    @Property(tries = 3000)
    void theSfvParserNeverThrows(@ForAll("cmcdish") String line) {
        Sfv.Dictionary d = Sfv.parseDictionary(line);
        assertThat(d.members()).isNotNull();
    }

    @Property(tries = 3000)
    void everyMappedEventIsValidEpas(@ForAll("records") String record) {
        CmcdToEpas.Mapped m =
                CmcdToEpas.map(new CmcdReport(Sfv.parseDictionary(record).members()));
        if (m.skipped() == null) {
            assertThat(m.events()).isNotEmpty();
        } else {
            // a skipped report gives at most what sn=0 and msd say about the session
            assertThat(m.events()).extracting(CmcdToEpas.EpasEvent::type).isSubsetOf(EventType.INIT, EventType.LOADED);
        }
        for (CmcdToEpas.EpasEvent e : m.events()) {
            assertThat(EPAS.validate(e.json().getBytes(StandardCharsets.UTF_8)).errors())
                    .as(record + " -> " + e.json())
                    .isEmpty();
        }
    }

    @Property(tries = 2000)
    void bodiesNeverThrowButTheirOwnRefusals(@ForAll("bodies") byte[] body) {
        try {
            CmcdReports.Read read = CmcdReports.body(body, 50);
            assertThat(read.reports().size()).isLessThanOrEqualTo(read.lines());
        } catch (CmcdReports.Unreadable | CmcdReports.TooMany expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 2000)
    void batchSplittingNeverThrows(@ForAll("bodies") byte[] body) {
        assertThat(EventBatches.array(body, 50)).isNotNull();
        assertThat(EventBatches.ndjson(body, 50)).isNotNull();
    }

    @Provide
    Arbitrary<String> cmcdish() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(80),
                Arbitraries.strings()
                        .withChars("abcdefstv=,;()\"\\?:*-.0123456789 \t")
                        .ofMaxLength(80),
                records());
    }

    /** Records with the keys the mapping reads, in valid and wrong types, plus noise. */
    @Provide
    Arbitrary<String> records() {
        Arbitrary<String> e = Arbitraries.of("ps", "e", "t", "bc", "c", "pr", "rr", "ce", "x", "\"ps\"", "1");
        Arbitrary<String> sta = Arbitraries.of("s", "p", "k", "r", "a", "e", "f", "q", "d", "w", "z", "\"p\"");
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.longs()
                        .between(-999_999_999_999_999L, 999_999_999_999_999L)
                        .map(l -> Long.toString(l)),
                Arbitraries.strings()
                        .withChars("abc xyz-_.\\\"")
                        .ofMaxLength(70)
                        .map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""),
                Arbitraries.of("?0", "?1", "(3000;v 128;a)", "(\"E1\" \"E2\")", "()", "(1)", "1.5", "tok", ":aGk=:"));
        Arbitrary<String> key =
                Arbitraries.of("sid", "ts", "pt", "v", "sn", "br", "ec", "cid", "msd", "bsd", "d", "zz");
        Arbitrary<String> member = Combinators.combine(key, value).as((k, v) -> k + "=" + v);
        return Combinators.combine(
                        e,
                        sta,
                        member.list().ofMaxSize(8),
                        Arbitraries.integers().between(0, 3))
                .as((ev, st, others, shape) -> {
                    StringBuilder s = new StringBuilder("e=" + ev + ",sta=" + st);
                    if (shape > 0) {
                        s.append(",sid=\"s-").append(shape).append("\",ts=1767225600000");
                    }
                    for (String o : others) {
                        s.append(',').append(o);
                    }
                    return s.toString();
                });
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
                records().list().ofMaxSize(60).map(l -> String.join("\n", l).getBytes(StandardCharsets.UTF_8)),
                Arbitraries.strings()
                        .withChars("[]{},\"\\\n\r ab1")
                        .ofMaxLength(200)
                        .map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.just(List.of("[", "{}", "]").toString().getBytes(StandardCharsets.UTF_8)));
    }
}
