package io.eventsink.service.cmcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventsink.service.cmcd.CmcdToEpas.EpasEvent;
import io.eventsink.service.cmcd.CmcdToEpas.Mapped;
import io.eventsink.service.cmcd.CmcdToEpas.Skip;
import jakarta.json.Json;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Whole sessions as real players reported them (captured from dash.js 5.2.1 and Shaka Player 5.2.12
 * playing a local DASH stream in Chromium, event target with a 1 s interval), each report mapped on its
 * own: every session opens with exactly one {@code init}, has {@code loaded} once its startup delay was
 * reported, and an {@code error} for each error report. clients/ drives the players themselves.
 */
class PlayerSequencesTest {

    /** Shaka Player's production build: no e=ps at all, the first report a time interval, msd on the next one. */
    private static final String SHAKA_COMPILED = """
            cid="movie-42",e=t,sid="shaka-1",sn=0,ts=1796605465124,v=2
            br=(40),cid="movie-42",e=bc,sid="shaka-1",sn=1,ts=1796605465211,v=2
            br=(40),cid="movie-42",e=t,msd=106,sid="shaka-1",sn=2,ts=1796605466124,v=2
            br=(40),cid="movie-42",e=t,sid="shaka-1",sn=3,ts=1796605467124,v=2
            """;

    /** Shaka Player's debug build, a segment missing: never sta=s, msd on sta=f, e=e without ec. */
    private static final String SHAKA_DEBUG_ERROR = """
            cid="movie-42",e=t,sid="shaka-2",sn=0,ts=1796605542664,v=2
            cid="movie-42",e=ps,sid="shaka-2",sn=1,sta=r,ts=1796605542686,v=2
            br=(40),cid="movie-42",e=bc,sid="shaka-2",sn=2,sta=r,ts=1796605542829,v=2
            br=(40),cid="movie-42",e=ps,sid="shaka-2",sn=3,sta=p,ts=1796605542889,v=2
            br=(40),cid="movie-42",e=ps,msd=203,sid="shaka-2",sn=4,sta=f,ts=1796605543051,v=2
            br=(40),cid="movie-42",e=e,sid="shaka-2",sn=5,sta=f,ts=1796605543051,v=2
            br=(40),cid="movie-42",e=t,sid="shaka-2",sn=6,sta=f,ts=1796605543664,v=2
            """;

    /** dash.js, a segment missing: msd on sta=s, ec an integer that then rides on every report. */
    private static final String DASHJS_ERROR = """
            cid="movie-42",e=t,sid="dash-1",sn=0,ts=1796605436460,v=2
            cid="movie-42",e=ps,msd=3,sid="dash-1",sn=1,sta=s,ts=1796605436472,v=2
            br=(40;v),cid="movie-42",e=ps,sid="dash-1",sn=2,sta=r,ts=1796605436599,v=2
            br=(40;v),cid="movie-42",e=ps,sid="dash-1",sn=3,sta=p,ts=1796605436630,v=2
            br=(40;v),cid="movie-42",e=e,ec=27,sid="dash-1",sn=4,sta=p,ts=1796605436668,v=2
            cid="movie-42",e=t,ec=27,sid="dash-1",sn=5,sta=p,ts=1796605437464,v=2
            br=(40;v),cid="movie-42",e=ps,ec=27,sid="dash-1",sn=7,sta=r,ts=1796605438523,v=2
            br=(40;v),cid="movie-42",e=ps,ec=27,sid="dash-1",sn=9,sta=a,ts=1796605439976,v=2
            """;

    /** dash.js with an event target that lists no enabledKeys (its default): nothing but e, ts and v. */
    private static final String DASHJS_NO_KEYS = """
            e=t,ts=1796605441391,v=2
            e=ps,ts=1796605441397,v=2
            e=ps,ts=1796605441614,v=2
            e=t,ts=1796605442391,v=2
            """;

    private static List<EpasEvent> session(String reports) {
        List<EpasEvent> events = new ArrayList<>();
        for (String line : reports.strip().split("\n")) {
            Mapped m = CmcdToEpas.map(new CmcdReport(Sfv.parseDictionary(line).members()));
            events.addAll(m.events());
        }
        return events;
    }

    private static List<String> names(List<EpasEvent> events) {
        return events.stream().map(e -> e.type().wireName()).toList();
    }

    private static String errorCode(List<EpasEvent> events) {
        EpasEvent error = events.stream()
                .filter(e -> e.type().wireName().equals("error"))
                .findFirst()
                .orElseThrow();
        return Json.createReader(new StringReader(error.json()))
                .readObject()
                .getJsonObject("payload")
                .getString("code");
    }

    @Test
    void shakasProductionBuildOpensAndLoadsItsSession() {
        assertThat(names(session(SHAKA_COMPILED)))
                .containsExactly("init", "heartbeat", "bitrate_changed", "loaded", "heartbeat", "heartbeat");
    }

    @Test
    void shakaWithASegmentErrorGivesInitLoadedAndAnErrorOfUnknownCode() {
        List<EpasEvent> events = session(SHAKA_DEBUG_ERROR);
        assertThat(names(events))
                .containsExactly(
                        "init",
                        "heartbeat",
                        "buffering",
                        "bitrate_changed",
                        "playing",
                        "loaded",
                        "stopped",
                        "error",
                        "heartbeat");
        assertThat(errorCode(events)).isEqualTo("unknown");
    }

    @Test
    void dashJsWithASegmentErrorGivesInitLoadedAndErrorTwentySeven() {
        List<EpasEvent> events = session(DASHJS_ERROR);
        assertThat(names(events))
                .containsExactly(
                        "init",
                        "heartbeat",
                        "loading",
                        "loaded",
                        "buffering",
                        "playing",
                        "error",
                        "heartbeat",
                        "buffering",
                        "paused");
        assertThat(errorCode(events)).isEqualTo("27");
    }

    @Test
    void dashJsWithoutEnabledKeysGivesNothingAndSaysSidIsMissing() {
        for (String line : DASHJS_NO_KEYS.strip().split("\n")) {
            Mapped m = CmcdToEpas.map(new CmcdReport(Sfv.parseDictionary(line).members()));
            assertThat(m.events()).isEmpty();
            assertThat(m.skipped()).isEqualTo(Skip.NO_SESSION_ID);
            assertThat(m.missing()).isEqualTo("sid");
        }
    }
}
