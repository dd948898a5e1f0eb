package io.eventsink.settings;

import java.util.StringJoiner;

/**
 * The README's configuration table, generated from {@link ServiceSettings#ALL} so the docs cannot
 * drift from the code (a test compares them). Run {@code main} to print it.
 */
public final class SettingsTable {

    public static final String BEGIN = "<!-- settings-table:begin (generated from settings/; do not edit) -->";
    public static final String END = "<!-- settings-table:end -->";

    private SettingsTable() {}

    public static String markdown() {
        StringJoiner out = new StringJoiner("\n", BEGIN + "\n", "\n" + END);
        out.add("| variable | EventSink `spec` field | default | allowed | meaning |");
        out.add("|---|---|---|---|---|");
        for (Setting s : ServiceSettings.ALL) {
            out.add("| `" + s.env() + "` | " + (s.inCrd() ? "`" + s.crdPath() + "`" : "set by the operator") + " | "
                    + defaultText(s) + " | " + allowed(s) + " | " + s.description() + " |");
        }
        return out.toString();
    }

    /** The default as a Markdown table cell: {@code `5000` ms}, or – when there is none. */
    public static String defaultText(Setting s) {
        if (s.defaultValue() == null) {
            return "–";
        }
        return "`" + s.defaultValue().replace("|", "\\|") + "`" + (s.unit() != null ? " " + s.unit() : "");
    }

    /** What values are allowed, as a Markdown table cell. */
    public static String allowed(Setting s) {
        return switch (s.type()) {
            case INTEGER -> s.min() + "–" + s.max() + (s.step() > 1 ? ", a multiple of " + s.step() : "");
            case BOOLEAN -> "`true`, `false`";
            case TEXT -> s.pattern() == null ? "text" : "`" + s.pattern().replace("|", "\\|") + "`";
            case CHOICE -> "`" + String.join("`, `", s.choices()) + "`";
            case LIST -> "comma-separated";
            case REGEX -> "a regular expression";
        };
    }

    public static void main(String[] args) {
        System.out.println(markdown());
    }
}
