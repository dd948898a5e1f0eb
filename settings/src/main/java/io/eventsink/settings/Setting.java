package io.eventsink.settings;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One setting of the service: the environment variable it is read from, the field of the EventSink custom resource
 * that sets it, its default and its bounds. The service parses values with {@link #parse}, the operator's build
 * writes the CRD schema of the field from this record and the operator maps the field to the variable, and the docs
 * are generated from it.
 *
 * @param env          environment variable, e.g. {@code MAX_BODY_BYTES}
 * @param crdPath      the field of an EventSink's {@code spec} that sets it, dot-separated (e.g.
 *                     {@code config.maxBodyBytes}, {@code queue.pack.maxBytes}), or null when the operator sets it
 * @param type         what kind of value it takes
 * @param defaultValue the default as text, or null when unset by default
 * @param min          smallest allowed value (numbers only)
 * @param max          largest allowed value (numbers only)
 * @param step         a number must be a multiple of it (numbers only; 1 for any)
 * @param pattern      a regular expression a text value must match in full, or null
 * @param choices      the values a choice takes (choices only, else empty)
 * @param unit         unit of a number (e.g. {@code ms}, {@code bytes}), or null
 * @param description  one sentence for the docs and the CRD
 */
public record Setting(
        String env,
        String crdPath,
        Type type,
        String defaultValue,
        long min,
        long max,
        long step,
        String pattern,
        List<String> choices,
        String unit,
        String description) {

    /** The kinds of value a setting takes. */
    public enum Type {
        INTEGER,
        BOOLEAN,
        TEXT,
        /** One of a few fixed words, written as they are ({@link #choices}). */
        CHOICE,
        /** Comma-separated list of texts. */
        LIST,
        /** A regular expression (checked to compile). */
        REGEX
    }

    public Setting {
        choices = List.copyOf(choices);
    }

    static Setting integer(String env, String crdPath, int def, long min, long max, String unit, String doc) {
        return multiple(env, crdPath, def, min, max, 1, unit, doc);
    }

    /** A whole number that must also be a multiple of {@code step}. */
    static Setting multiple(
            String env, String crdPath, int def, long min, long max, long step, String unit, String doc) {
        return new Setting(
                env, crdPath, Type.INTEGER, Integer.toString(def), min, max, step, null, List.of(), unit, doc);
    }

    static Setting bool(String env, String crdPath, boolean def, String doc) {
        return new Setting(env, crdPath, Type.BOOLEAN, Boolean.toString(def), 0, 0, 1, null, List.of(), null, doc);
    }

    static Setting text(String env, String crdPath, String def, String pattern, String doc) {
        return new Setting(env, crdPath, Type.TEXT, def, 0, 0, 1, pattern, List.of(), null, doc);
    }

    static Setting choice(String env, String crdPath, String def, List<String> choices, String doc) {
        return new Setting(env, crdPath, Type.CHOICE, def, 0, 0, 1, null, choices, null, doc);
    }

    static Setting list(String env, String crdPath, String doc) {
        return new Setting(env, crdPath, Type.LIST, null, 0, 0, 1, null, List.of(), null, doc);
    }

    static Setting regex(String env, String crdPath, String def, String doc) {
        return new Setting(env, crdPath, Type.REGEX, def, 0, 0, 1, null, List.of(), null, doc);
    }

    /** Whether platform teams can set it through a field of an EventSink's spec. */
    public boolean inCrd() {
        return crdPath != null;
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
     * Checks {@code value} and returns it trimmed (a list, a text, a choice, a regular expression), or as a
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
            case CHOICE -> {
                if (!choices.contains(v)) {
                    throw new IllegalArgumentException(
                            env + " must be one of " + String.join(", ", choices) + ", not '" + shorten(v) + "'");
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
