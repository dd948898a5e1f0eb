package io.eventsink.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventsink.settings.ServiceSettings;
import io.eventsink.settings.Setting;
import io.eventsink.settings.SettingsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/** operator/README.md's table of settings-backed fields is the settings catalogue's, generated here. */
class ReadmeTest {
    static final String BEGIN = "<!-- config-fields:begin (generated from settings/ by ReadmeTest; do not edit) -->";
    static final String END = "<!-- config-fields:end -->";

    static String configTable() {
        StringJoiner out = new StringJoiner("\n", BEGIN + "\n", "\n" + END);
        out.add("| Field | Default | Allowed | Service variable: what it does |");
        out.add("| --- | --- | --- | --- |");
        for (Setting s : ServiceSettings.inCrd()) {
            String allowed = s.type() == Setting.Type.LIST ? "list of strings" : SettingsTable.allowed(s);
            out.add("| `" + s.crdPath() + "` | " + SettingsTable.defaultText(s) + " | " + allowed + " | `" + s.env()
                    + "`: " + s.description() + " |");
        }
        return out.toString();
    }

    @Test
    void theConfigFieldsTableIsTheGeneratedOne() throws Exception {
        assertThat(Files.readString(Path.of("README.md")))
                .as("operator/README.md's settings table differs from settings/: replace it with\n" + configTable())
                .contains(configTable());
    }
}
