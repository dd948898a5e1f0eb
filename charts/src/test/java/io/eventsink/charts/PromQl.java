package io.eventsink.charts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads, found with a small lexer (strings, label matchers, ranges,
 * grouping label lists, keywords and function names are skipped), plus the Grafana bits around PromQL:
 * dashboard variables and variable queries. Self-contained (JDK only) so other modules can copy it.
 */
public final class PromQl {

    /** Grafana's interval variables and a value that makes the expression valid PromQL. */
    public static final Map<String, String> GRAFANA_BUILTINS = Map.of(
            "__rate_interval", "5m",
            "__interval", "1m",
            "__range", "1h",
            "__interval_ms", "60000",
            "__range_s", "3600",
            "__range_ms", "3600000");

    /** Histogram and summary series suffixes; {@link #family} strips them. */
    public static final List<String> SERIES_SUFFIXES = List.of("_bucket", "_count", "_sum");

    /** Words PromQL reserves: aggregations, binary and set operators, modifiers. Never metric names. */
    private static final Set<String> KEYWORDS = Set.of(
            "sum",
            "min",
            "max",
            "avg",
            "group",
            "stddev",
            "stdvar",
            "count",
            "count_values",
            "bottomk",
            "topk",
            "quantile",
            "limitk",
            "limit_ratio",
            "and",
            "or",
            "unless",
            "atan2",
            "bool",
            "offset",
            "inf",
            "nan");

    /** Keywords followed by a parenthesised list of label names. */
    private static final Set<String> LABEL_LIST_KEYWORDS =
            Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

    private static final Pattern TOKEN = Pattern.compile(
            "\\s+" // whitespace
                    + "|(?<string>\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`)"
                    + "|(?<number>[0-9][0-9a-zA-Z_.]*|\\.[0-9][0-9a-zA-Z_.]*)" // numbers, durations (5m, 1h30m), 0x1f,
                    // 1e3
                    + "|(?<ident>[a-zA-Z_:][a-zA-Z0-9_:]*)"
                    + "|(?<punct>.)");

    private static final Pattern GRAFANA_VARIABLE =
            Pattern.compile("\\$\\{([a-zA-Z_]\\w*)(?::[^}]*)?}|\\[\\[([a-zA-Z_]\\w*)(?::[^]]*)?]]|\\$([a-zA-Z_]\\w*)");
    private static final Pattern LABEL_VALUES_OF_METRIC =
            Pattern.compile("(?s)^\\s*label_values\\s*\\((.+),\\s*([a-zA-Z_]\\w*)\\s*\\)\\s*$");
    private static final Pattern LABEL_VALUES_ANY =
            Pattern.compile("^\\s*label_values\\s*\\(\\s*[a-zA-Z_]\\w*\\s*\\)\\s*$");
    private static final Pattern LABEL_NAMES = Pattern.compile("^\\s*label_names\\s*\\(.*\\)\\s*$");
    private static final Pattern QUERY_RESULT = Pattern.compile("(?s)^\\s*query_result\\s*\\((.+)\\)\\s*$");

    private PromQl() {}

    private record Token(String kind, String text) {}

    /**
     * Metric names read by a PromQL expression, in order of appearance. A selector written only as
     * {@code {__name__="x"}} counts as x; a regular-expression {@code __name__} matcher cannot be checked
     * and is refused.
     */
    public static Set<String> metricNames(String expr) {
        List<Token> tokens = tokens(expr);
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            switch (t.kind) {
                case "punct" -> {
                    if (t.text.equals("{")) {
                        i = skipLabelMatchers(tokens, i, names, expr);
                    } else if (t.text.equals("[")) {
                        i = skipTo(tokens, i, "]", expr);
                    }
                }
                case "ident" -> {
                    String word = t.text.toLowerCase(Locale.ROOT);
                    boolean call =
                            i + 1 < tokens.size() && tokens.get(i + 1).text.equals("(");
                    if (LABEL_LIST_KEYWORDS.contains(word)) {
                        if (call) {
                            i = skipTo(tokens, i + 1, ")", expr);
                        }
                    } else if (!call && !KEYWORDS.contains(word)) {
                        names.add(t.text);
                    }
                }
                default -> {}
            }
        }
        return names;
    }

    /** The metric names a Grafana variable query reads (label_values, query_result, label_names). */
    public static Set<String> variableQueryMetricNames(String query) {
        Matcher m = LABEL_VALUES_OF_METRIC.matcher(query);
        if (m.matches()) {
            return metricNames(m.group(1));
        }
        if (LABEL_VALUES_ANY.matcher(query).matches()
                || LABEL_NAMES.matcher(query).matches()) {
            return Set.of();
        }
        m = QUERY_RESULT.matcher(query);
        if (m.matches()) {
            return metricNames(m.group(1));
        }
        throw new IllegalArgumentException("unsupported Grafana variable query: " + query);
    }

    /**
     * Replaces Grafana variables ({@code $name}, {@code ${name}}, {@code ${name:format}}, {@code [[name]]}):
     * the built-in intervals by a duration, the dashboard's own variables by {@code .*} (they are used in
     * regular-expression matchers). Anything else that looks like a variable is an error (a typo, or a
     * variable the dashboard does not define); {@code $1} in label_replace is left alone.
     */
    public static String substituteGrafanaVariables(String expr, Collection<String> dashboardVariables) {
        Map<String, String> values = new LinkedHashMap<>();
        dashboardVariables.forEach(v -> values.put(v, ".*"));
        return substituteGrafanaVariables(expr, values);
    }

    /** The same with each dashboard variable's value given (a textbox's default, {@code .*} for a query). */
    public static String substituteGrafanaVariables(String expr, Map<String, String> dashboardVariables) {
        Matcher m = GRAFANA_VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            String value;
            if (GRAFANA_BUILTINS.containsKey(name)) {
                value = GRAFANA_BUILTINS.get(name);
            } else if (dashboardVariables.containsKey(name)) {
                value = dashboardVariables.get(name);
            } else {
                throw new IllegalArgumentException("unknown Grafana variable $" + name + " in: " + expr);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The metric family of a series name: {@code x_bucket}, {@code x_count}, {@code x_sum} become {@code x}. */
    public static String family(String series) {
        for (String suffix : SERIES_SUFFIXES) {
            if (series.endsWith(suffix)) {
                return series.substring(0, series.length() - suffix.length());
            }
        }
        return series;
    }

    /**
     * The sample names in a Prometheus text exposition (what a scrape stores), without comments,
     * labels and values.
     */
    public static Set<String> exportedSeriesNames(String exposition) {
        Set<String> names = new LinkedHashSet<>();
        for (String line : exposition.split("\n")) {
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < s.length() && s.charAt(end) != '{' && !Character.isWhitespace(s.charAt(end))) {
                end++;
            }
            names.add(s.substring(0, end));
        }
        return names;
    }

    private static List<Token> tokens(String expr) {
        List<Token> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(expr);
        int at = 0;
        while (at < expr.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("cannot read PromQL at offset " + at + ": " + expr);
            }
            for (String kind : List.of("string", "number", "ident", "punct")) {
                if (m.group(kind) != null) {
                    tokens.add(new Token(kind, m.group(kind)));
                }
            }
            at = m.end();
        }
        return tokens;
    }

    /** Index of the token closing what opens at {@code open} (same kind of bracket, nesting counted). */
    private static int skipTo(List<Token> tokens, int open, String close, String expr) {
        String opening = tokens.get(open).text;
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind.equals("punct") && t.text.equals(opening)) {
                depth++;
            } else if (t.kind.equals("punct") && t.text.equals(close) && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unbalanced " + opening + " in: " + expr);
    }

    private static int skipLabelMatchers(List<Token> tokens, int open, Set<String> names, String expr) {
        int close = skipTo(tokens, open, "}", expr);
        for (int i = open + 1; i < close; i++) {
            if (tokens.get(i).kind.equals("ident") && tokens.get(i).text.equals("__name__")) {
                boolean exact = i + 2 < close
                        && tokens.get(i + 1).text.equals("=")
                        && tokens.get(i + 2).kind.equals("string");
                if (!exact) {
                    throw new IllegalArgumentException("only __name__=\"...\" can be checked, in: " + expr);
                }
                String quoted = tokens.get(i + 2).text;
                names.add(quoted.substring(1, quoted.length() - 1));
            }
        }
        return close;
    }
}
