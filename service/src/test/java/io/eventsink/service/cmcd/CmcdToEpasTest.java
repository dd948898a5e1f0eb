package io.eventsink.service.cmcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventsink.service.cmcd.CmcdToEpas.EpasEvent;
import io.eventsink.service.cmcd.CmcdToEpas.Mapped;
import io.eventsink.service.cmcd.CmcdToEpas.Skip;
import io.eventsink.service.epas.EventType;
import io.eventsink.service.epas.EventValidator;
import io.eventsink.settings.ServiceSettings;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The CMCD to EPAS table (docs/cmcd.md), record by record; every produced event passes the EPAS validator. */
class CmcdToEpasTest {

    private static final String SID = "sid=\"5b1c0f4e-2d0a-4c7e-9a51-0c2f7e9d1a11\"";
    private static final EventValidator EPAS =
            new EventValidator(32, Pattern.compile(ServiceSettings.SHARD_ID_PATTERN_DEFAULT));

    private static Mapped map(String record) {
        return CmcdToEpas.map(new CmcdReport(Sfv.parseDictionary(record).members()));
    }

    private static List<String> names(Mapped m) {
        for (EpasEvent e : m.events()) {
            assertThat(EPAS.validate(e.json().getBytes(StandardCharsets.UTF_8)).errors())
                    .as(e.json())
                    .isEmpty();
        }
        return m.events().stream().map(e -> e.type().wireName()).toList();
    }

    private static JsonObject json(EpasEvent e) {
        return Json.createReader(new StringReader(e.json())).readObject();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "e=ps,sta=s,sn=0|init loading",
                "e=ps,sta=s,sn=3|loading",
                "e=ps,sta=d|loading",
                "e=ps,sta=d,sn=0|init loading",
                "e=ps,sta=p,msd=1450|loaded playing",
                "e=ps,sta=p,bsd=(2300)|buffered playing",
                "e=ps,sta=p|playing",
                "e=ps,sta=a|paused",
                "e=ps,sta=r|buffering",
                "e=ps,sta=k|seeking",
                "e=ps,sta=e|stopped",
                "e=ps,sta=q|stopped",
                "e=ps,sta=f|stopped",
                "e=t|heartbeat",
                "e=e,ec=(\"SEG_404\" \"RETRY_EXHAUSTED\")|error",
                "e=e|error",
                "e=bc,br=(4500;v 128;a)|bitrate_changed",
                "e=c,cid=\"movie-42\"|metadata",
                // a target's first report opens the session, whatever its event
                "e=t,sn=0|init heartbeat",
                "e=ps,sta=p,sn=0|init playing",
                "e=bc,br=(40),sn=0|init bitrate_changed",
                // the startup delay rides on whichever report comes next
                "e=t,msd=106|loaded heartbeat",
                "e=bc,br=(40),msd=106|loaded bitrate_changed",
                "e=e,msd=276|loaded error",
                "e=ps,sta=f,msd=203|loaded stopped",
                "e=ps,sta=s,msd=2|loading loaded",
                "e=ps,sta=s,msd=2,sn=0|init loading loaded",
                "e=ps,sta=p,msd=1450,bsd=(2300)|loaded buffered playing",
                "e=t,sn=0,msd=5|init loaded heartbeat",
            })
    void eachEventAndState(String keys, String events) {
        Mapped m = map(keys + "," + SID + ",ts=1767225600000,pt=96250,v=2");
        assertThat(m.skipped()).isNull();
        assertThat(names(m)).containsExactly(events.split(" "));
        EpasEvent last = m.events().getLast();
        JsonObject e = json(last);
        assertThat(e.getString("sessionId")).isEqualTo("5b1c0f4e-2d0a-4c7e-9a51-0c2f7e9d1a11");
        assertThat(e.getJsonNumber("timestamp").longValue()).isEqualTo(1767225600000L);
        assertThat(e.getJsonNumber("playhead").longValue()).isEqualTo(96250);
        assertThat(e.getJsonNumber("duration").longValue()).isEqualTo(-1);
        assertThat(last.timestampText()).isEqualTo("1767225600000");
    }

    @Test
    void payloadsCarryTheReportsValues() {
        assertThat(json(map("e=ps,sta=q," + SID + ",ts=1").events().getFirst())
                        .getJsonObject("payload")
                        .getString("reason"))
                .isEqualTo("aborted");
        JsonObject error =
                json(map("e=e,ec=(\"E1\" \"E2\")," + SID + ",ts=1").events().getFirst());
        assertThat(error.getJsonObject("payload").getString("code")).isEqualTo("E1");
        assertThat(error.getJsonObject("payload").getJsonObject("data").getJsonArray("codes"))
                .hasSize(2);
        JsonObject bitrate = json(map("e=bc,br=(4500;v 128;a)," + SID + ",ts=1")
                        .events()
                        .getFirst())
                .getJsonObject("payload");
        assertThat(bitrate.getInt("bitrate")).isEqualTo(4500);
        assertThat(bitrate.getInt("videoBitrate")).isEqualTo(4500);
        assertThat(bitrate.getInt("audioBitrate")).isEqualTo(128);
        // players also send a bare value for a list key
        assertThat(json(map("e=bc,br=1000," + SID + ",ts=1").events().getFirst())
                        .getJsonObject("payload")
                        .getInt("bitrate"))
                .isEqualTo(1000);
        assertThat(json(map("e=c,cid=\"ad-7\"," + SID + ",ts=1").events().getFirst())
                        .getJsonObject("payload")
                        .getString("contentId"))
                .isEqualTo("ad-7");
        // no pt: the playhead is unknown
        assertThat(json(map("e=t," + SID + ",ts=1").events().getFirst())
                        .getJsonNumber("playhead")
                        .longValue())
                .isEqualTo(-1);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "e=t|UNUSABLE", // no ts
                "ts=1|UNUSABLE", // no e
                "e=\"t\",ts=1|UNUSABLE", // e must be a token
                "e=t,ts=\"1\"|UNUSABLE",
                "e=t,ts=1,v=3|NEWER_VERSION",
                "e=t,ts=-5|UNUSABLE",
                "e=m,ts=1|UNMAPPED_EVENT",
                "e=rr,ts=1|UNMAPPED_EVENT",
                "e=ce,cen=\"x\",ts=1|UNMAPPED_EVENT",
                "e=ps,sta=w,ts=1|UNMAPPED_EVENT",
                "e=ps,ts=1|MISSING_KEY",
                "e=bc,ts=1|MISSING_KEY",
                "e=c,ts=1|MISSING_KEY",
            })
    void reportsThatGiveNoEvent(String keys, Skip why) {
        assertThat(map(keys + "," + SID).skipped()).isEqualTo(why);
    }

    @Test
    void anErrorWithoutAListOfStringsIsStillAnError() {
        // dash.js sends its error code as a bare integer, Shaka Player sends no ec at all
        assertThat(errorPayload("ec=27"))
                .isEqualTo(Json.createObjectBuilder()
                        .add("code", "27")
                        .add("category", "CMCD")
                        .add(
                                "data",
                                Json.createObjectBuilder()
                                        .add("codes", Json.createArrayBuilder().add("27")))
                        .build());
        assertThat(errorPayload(""))
                .isEqualTo(Json.createObjectBuilder()
                        .add("code", "unknown")
                        .add("category", "CMCD")
                        .build());
        assertThat(errorPayload("ec=E_NET").getString("code")).isEqualTo("E_NET");
        assertThat(errorPayload("ec=(27 \"SEG_404\" E_NET 1.5)")
                        .getJsonObject("data")
                        .getJsonArray("codes"))
                .isEqualTo(Json.createArrayBuilder()
                        .add("27")
                        .add("SEG_404")
                        .add("E_NET")
                        .add("1.5")
                        .build());
        // nothing usable in ec: an empty string, a boolean
        assertThat(errorPayload("ec=(\"\" ?1)").getString("code")).isEqualTo("unknown");
    }

    private static JsonObject errorPayload(String ec) {
        Mapped m = map("e=e," + (ec.isEmpty() ? "" : ec + ",") + SID + ",ts=1,v=2");
        assertThat(names(m)).containsExactly("error");
        return json(m.events().getFirst()).getJsonObject("payload");
    }

    @Test
    void aFirstReportWhoseEventMapsToNothingStillOpensTheSession() {
        Mapped m = map("e=rr,sn=0,msd=300,url=\"https://cdn.example/seg-1.m4s\",rc=200," + SID + ",ts=5,v=2");
        assertThat(names(m)).containsExactly("init", "loaded");
        assertThat(m.skipped()).as("its own event is still counted as skipped").isEqualTo(Skip.UNMAPPED_EVENT);
        // a startup delay that is not a number of milliseconds is ignored, as CTA-5004-B section 6 asks
        assertThat(names(map("e=t,msd=\"1450\"," + SID + ",ts=5"))).containsExactly("heartbeat");
        assertThat(names(map("e=t,msd=-3," + SID + ",ts=5"))).containsExactly("heartbeat");
    }

    @Test
    void theInitOfASessionHasNoTimeOfItsOwnAndTheLoadedEventHasTheReports() {
        Mapped m = map("e=t,sn=0,msd=106,pt=0," + SID + ",ts=1767225600000,v=2");
        JsonObject init = json(m.events().get(0));
        assertThat(init.getJsonNumber("timestamp").longValue()).isEqualTo(-1);
        assertThat(init.getJsonNumber("playhead").longValue()).isEqualTo(-1);
        JsonObject loaded = json(m.events().get(1));
        assertThat(loaded.getJsonNumber("timestamp").longValue()).isEqualTo(1767225600000L);
        assertThat(loaded.getJsonNumber("playhead").longValue()).isZero();
    }

    @Test
    void reportsWithoutTheKeysTheyNeedSayWhichAreMissing() {
        assertThat(map("e=t,ts=1,v=2").missing()).isEqualTo("sid");
        assertThat(map("ts=1," + SID).missing()).isEqualTo("e");
        assertThat(map("e=t," + SID).missing()).isEqualTo("ts");
        assertThat(map("v=2," + SID).missing()).isEqualTo("e, ts");
        assertThat(map("e=m,ts=1," + SID).missing()).isNull();
        assertThat(map("e=t,ts=1," + SID).missing()).isNull();
    }

    @Test
    void aReportWithoutAUsableSessionIdIsSkipped() {
        assertThat(map("e=t,ts=1,v=2").skipped()).isEqualTo(Skip.NO_SESSION_ID);
        assertThat(map("e=t,ts=1,sid=\"" + "x".repeat(65) + "\"").skipped()).isEqualTo(Skip.NO_SESSION_ID);
        assertThat(map("e=t,ts=1,sid=token").skipped()).isEqualTo(Skip.NO_SESSION_ID);
    }

    @Test
    void invalidOptionalValuesAreIgnored() {
        // pt as a string, an unknown key, a custom key: the event still comes, playhead unknown
        Mapped m = map("e=t," + SID + ",ts=5,pt=\"12\",com.example-x=\"y\",zz=1,v=2");
        assertThat(names(m)).containsExactly("heartbeat");
        assertThat(json(m.events().getFirst()).getJsonNumber("playhead").longValue())
                .isEqualTo(-1);
        assertThat(m.events().getFirst().type()).isEqualTo(EventType.HEARTBEAT);
    }
}
