package io.eventsink.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServiceSettingsTest {

    @Test
    void everyDefaultIsAcceptedByItsOwnRules() {
        for (Setting s : ServiceSettings.ALL) {
            if (s.defaultValue() != null) {
                assertThat(s.problem(s.defaultValue())).as(s.env()).isEmpty();
            }
        }
    }

    @Test
    void namesAreUnique() {
        Set<String> env = new HashSet<>();
        Set<String> crd = new HashSet<>();
        for (Setting s : ServiceSettings.ALL) {
            assertThat(env.add(s.env())).as("duplicate " + s.env()).isTrue();
            if (s.inCrd()) {
                assertThat(crd.add(s.crdPath())).as("duplicate " + s.crdPath()).isTrue();
            }
        }
    }

    @Test
    void valuesAreCheckedAndProblemsNameTheVariable() {
        assertThat(ServiceSettings.MAX_BODY_BYTES.problem("10"))
                .hasValue("MAX_BODY_BYTES must be between 1024 and 10485760, not 10");
        assertThat(ServiceSettings.MAX_BODY_BYTES.problem("lots"))
                .hasValue("MAX_BODY_BYTES must be a whole number, not 'lots'");
        assertThat(ServiceSettings.MAX_BODY_BYTES.parse(" 2048 ")).isEqualTo(2048L);
        assertThat(ServiceSettings.CMCD_ENABLED.parse("FALSE")).isEqualTo(false);
        assertThat(ServiceSettings.CMCD_ENABLED.problem("no")).hasValue("CMCD_ENABLED must be true or false, not 'no'");
        assertThat(ServiceSettings.LOG_LEVEL.problem("LOUD")).isPresent();
        assertThat(ServiceSettings.SHARD_ID_PATTERN.problem("[a-"))
                .get()
                .asString()
                .startsWith("SHARD_ID_PATTERN is not a valid regular expression");
        assertThat(ServiceSettings.byCrdPath("config.maxEventBytes")).contains(ServiceSettings.MAX_EVENT_BYTES);
        assertThat(ServiceSettings.byEnv("PORT")).contains(ServiceSettings.PORT);
        assertThat(ServiceSettings.SQS_PACK_MAX_BYTES.problem("100000"))
                .hasValue("SQS_PACK_MAX_BYTES must be a multiple of 65536, not 100000");
        assertThat(ServiceSettings.SQS_PACK_MAX_BYTES.parse("262144")).isEqualTo(262_144L);
        assertThat(ServiceSettings.SQS_MESSAGE_FORMAT.problem("Packed"))
                .hasValue("SQS_MESSAGE_FORMAT must be one of event, packed, not 'Packed'");
        assertThat(ServiceSettings.SQS_MESSAGE_FORMAT.parse(" packed ")).isEqualTo("packed");
        assertThat(ServiceSettings.SQS_PACK_COMPRESSION.problem("zstd")).isPresent();
    }

    /**
     * The CRD's schema checks a text field with its pattern the way the API server does (a match anywhere, ECMA
     * syntax), the service with Java's full match: only an anchored pattern without Java-only syntax means the same
     * to both.
     */
    @Test
    void crdFieldsWithAPatternHaveOneTheApiServerReadsAlike() {
        for (Setting s : ServiceSettings.inCrd()) {
            if (s.pattern() != null) {
                assertThat(s.pattern())
                        .as(s.env())
                        .startsWith("^")
                        .endsWith("$")
                        .doesNotContain("(?");
            }
        }
    }

    @Test
    void crdPathsAreFieldNamesUnderASection() {
        for (Setting s : ServiceSettings.inCrd()) {
            assertThat(s.crdPath()).as(s.env()).matches("[a-z][A-Za-z]*(\\.[a-z][A-Za-z]*)+");
        }
    }

    @Test
    void oneEventFitsInOneSqsMessage() {
        // 256 KiB per SQS message, attributes included.
        assertThat(ServiceSettings.MAX_EVENT_BYTES.max()).isLessThan(256 * 1024 - 4096);
    }

    @Test
    void theReadmeTableIsTheGeneratedOne() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        assertThat(readme)
                .as("README.md's configuration table differs from settings/: paste the output of "
                        + "SettingsTable.main (java -cp settings/target/classes io.eventsink.settings.SettingsTable)")
                .contains(SettingsTable.markdown());
    }
}
