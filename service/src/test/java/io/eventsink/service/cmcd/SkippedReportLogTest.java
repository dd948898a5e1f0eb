package io.eventsink.service.cmcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The log line about reports skipped for want of keys: one per minute per set of missing keys, with a count. */
class SkippedReportLogTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final List<String> lines = new ArrayList<>();
    private final SkippedReportLog log = new SkippedReportLog(now::get, Duration.ofSeconds(60), lines::add);

    private void report(String record) {
        CmcdReport r = new CmcdReport(Sfv.parseDictionary(record).members());
        log.noted(r, CmcdToEpas.map(r));
    }

    @Test
    void theFirstSkipIsLoggedAtOnceThenAtMostOneLineAMinuteWithTheCountSince() {
        report("e=ps,ts=1,v=2");
        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst())
                .startsWith("CMCD: 1 report skipped without sid")
                .contains("The last one had the keys: e, ts, v.")
                .contains("must send sid");
        for (int i = 0; i < 40; i++) {
            now.addAndGet(Duration.ofSeconds(1).toNanos());
            report("e=t,ts=1,v=2");
        }
        assertThat(lines).as("within the minute: no more lines").hasSize(1);
        now.addAndGet(Duration.ofSeconds(20).toNanos());
        report("e=t,ts=2,v=2");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).startsWith("CMCD: 41 reports skipped without sid since the last such line");
    }

    @Test
    void eachSetOfMissingKeysHasItsOwnLineAndGoodReportsNone() {
        report("e=t,ts=1,sid=\"s\",v=2");
        report("e=m,ts=1,sid=\"s\",v=2"); // skipped, but for an event EPAS has no counterpart for: not a
        // misconfiguration
        report("e=t,ts=1,v=9,sid=\"s\""); // a newer version: CTA-5004-B's rule, not a missing key
        assertThat(lines).isEmpty();
        report("e=t,ts=1,v=2");
        report("ts=1,sid=\"s\"");
        report("e=t,sid=\"s\"");
        report("v=2");
        assertThat(lines)
                .extracting(l -> l.substring(0, l.indexOf(" since")))
                .containsExactly(
                        "CMCD: 1 report skipped without sid",
                        "CMCD: 1 report skipped without e",
                        "CMCD: 1 report skipped without ts",
                        "CMCD: 1 report skipped without e, ts");
    }

    @Test
    void whatTheClientSentIsNeverQuotedOnlyItsKeyNames() {
        report("e=t,ts=1,v=2,com.example-x=\"<script>\\\"\\\\ \",zz=?0");
        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst())
                .contains("keys: com.example-x, e, ts, v, zz.")
                .doesNotContain("script");
    }
}
