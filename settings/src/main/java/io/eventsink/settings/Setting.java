package io.eventsink.settings;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One setting of the service: the environment variable it is read from, the field of the
 * EventSink custom resource that sets it ({@code config.<crdField>}, or none when the operator sets
 * it itself), its default and its bounds. The service parses values with {@link #parse}, the
 * operator checks a spec with {@link #problem}, and the docs are generated from the same record.
 *
 * @param env          environment variable, e.g. {@code MAX_BODY_BYTES}
 * @param crdField     field under {@code spec.config} of an EventSink, or null when not exposed there
 * @param type         what kind of value it takes
 * @param defaultValue the default as text, or null when unset by default
 * @param min          smallest allowed value (numbers only)
 * @param max          largest allowed value (numbers only)
 * @param step         a number must be a multiple of it (numbers only; 1 for any)
 * @param pattern      a regular expression a text value must match in full, or null
 * @param unit         unit of a number (e.g. {@code ms}, {@code bytes}), or null
 * @param description  one sentence for the docs and the CRD
 */
public record Setting(
        String env,
        String crdField,
        Type type,
        String defaultValue,
        long min,
        long max,
        long step,
        String pattern,
        String unit,
        String description) {

    /** The kinds of value a setting takes. */
    public enum Type {
        INTEGER,
        BOOLEAN,
        TEXT,
        /** Comma-separated list of texts. */
        LIST,
        /** A regular expression (checked to compile). */
        REGEX
    }

    static Setting integer(String env, String crdField, int def, long min, long max, String unit, String doc) {
        return new Setting(env, crdField, Type.INTEGER, Integer.toString(def), min, max, 1, null, unit, doc);
    }

    /** A whole number that must also be a multiple of {@code step}. */
    static Setting multiple(
            String env, String crdField, int def, long min, long max, long step, String unit, String doc) {
        return new Setting(env, crdField, Type.INTEGER, Integer.toString(def), min, max, step, null, unit, doc);
    }

    static Setting bool(String env, String crdField, boolean def, String doc) {
        return new Setting(env, crdField, Type.BOOLEAN, Boolean.toString(def), 0, 0, 1, null, null, doc);
    }

    static Setting text(String env, String crdField, String def, String pattern, String doc) {
        return new Setting(env, crdField, Type.TEXT, def, 0, 0, 1, pattern, null, doc);
    }

    static Setting list(String env, String crdField, String doc) {
        return new Setting(env, crdField, Type.LIST, null, 0, 0, 1, null, null, doc);
    }

    static Setting regex(String env, String crdField, String def, String doc) {
        return new Setting(env, crdField, Type.REGEX, def, 0, 0, 1, null, null, doc);
    }

    /** Whether platform teams can set it through {@code spec.config} of an EventSink. */
    public boolean inCrd() {
        return crdField != null;
    }

    /** The key of the same name in kebab case, as used under {@code eventsink:} in application.yaml. */
    public String yamlKey() {
        return env.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * What is wrong with {@code value} for this setting, or empty when it is acceptable. The
     * message names the setting by its environment variable.
     */
    public Optional<String> problem(String value) {
        try {
            parse(value);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * Checks {@code value} and returns it trimmed (a list, a text, a regular expression), or as a
     * Long (an integer) or Boolean. Throws IllegalArgumentException saying what is wrong.
     */
    public Object parse(String value) {
        String v = value.trim();
        return switch (type) {
            case INTEGER -> {
                long n;
                try {
                    n = Long.parseLong(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(env + " must be a whole number, not '" + shorten(v) + "'");
                }
                if (n < min || n > max) {
                    throw new IllegalArgumentException(env + " must be between " + min + " and " + max + ", not " + n);
                }
                if (n % step != 0) {
                    throw new IllegalArgumentException(env + " must be a multiple of " + step + ", not " + n);
                }
                yield n;
            }
            case BOOLEAN -> {
                if (v.equalsIgnoreCase("true")) {
                    yield Boolean.TRUE;
                }
                if (v.equalsIgnoreCase("false")) {
                    yield Boolean.FALSE;
                }
                throw new IllegalArgumentException(env + " must be true or false, not '" + shorten(v) + "'");
            }
            case TEXT -> {
                if (pattern != null && !Pattern.compile(pattern).matcher(v).matches()) {
                    throw new IllegalArgumentException(env + " must match " + pattern + ", not '" + shorten(v) + "'");
                }
                yield v;
            }
            case LIST -> v;
            case REGEX -> {
                try {
                    Pattern.compile(v);
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException(
                            env + " is not a valid regular expression: " + e.getDescription());
                }
                yield v;
            }
        };
    }

    private static String shorten(String v) {
        return v.length() <= 64 ? v : v.substring(0, 64) + "...";
    }
}
