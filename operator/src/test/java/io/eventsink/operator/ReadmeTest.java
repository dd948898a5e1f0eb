package io.eventsink.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventsink.settings.ServiceSettings;
import io.eventsink.settings.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/** operator/README.md's spec.config table is the settings catalogue's, generated here. */
class ReadmeTest {
    static final String BEGIN = "<!-- config-fields:begin (generated from settings/ by ReadmeTest; do not edit) -->";
    static final String END = "<!-- config-fields:end -->";

    static String configTable() {
        StringJoiner out = new StringJoiner("\n", BEGIN + "\n", "\n" + END);
        out.add("| Field | Default | Allowed | Service variable: what it does |");
        out.add("| --- | --- | --- | --- |");
        for (Setting s : ServiceSettings.inCrd()) {
            String def = s.defaultValue() == null
                    ? "–"
                    : "`" + s.defaultValue().replace("|", "\\|") + "`" + (s.unit() != null ? " " + s.unit() : "");
            String allowed = switch (s.type()) {
                case INTEGER -> s.min() + "–" + s.max();
                case BOOLEAN -> "`true`, `false`";
                case TEXT -> s.pattern() == null ? "text" : "`" + s.pattern().replace("|", "\\|") + "`";
                case LIST -> "list of strings";
                case REGEX -> "a regular expression";
            };
            out.add("| `config." + s.crdField() + "` | " + def + " | " + allowed + " | `" + s.env() + "`: "
                    + s.description() + " |");
        }
        return out.toString();
    }

    @Test
    void theConfigFieldsTableIsTheGeneratedOne() throws Exception {
        assertThat(Files.readString(Path.of("README.md")))
                .as("operator/README.md's spec.config table differs from settings/: replace it with\n" + configTable())
                .contains(configTable());
    }
}
