package io.eventsink.operator;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Metric names referenced by PromQL expressions: identifiers that are not in label matchers, strings, range
 * selectors, {@code by}/{@code without}/{@code on}/{@code ignoring}/{@code group_*} lists or offsets, are not called
 * as functions and are not keywords or aggregation operators.
 */
final class PromQlNames {
    private static final Set<String> KEYWORDS = Set.of(
            "and",
            "or",
            "unless",
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "bool",
            "offset",
            "sum",
            "min",
            "max",
            "avg",
            "count",
            "stddev",
            "stdvar",
            "topk",
            "bottomk",
            "quantile",
            "count_values",
            "group",
            "limitk",
            "limit_ratio",
            "inf",
            "nan",
            "atan2");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private PromQlNames() {}

    static Set<String> in(String expr) {
        String e = expr.replaceAll("\\{\\{.*?}}", " ") // Helm/Go template actions
                .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", " ") // strings
                .replaceAll("'(?:[^'\\\\]|\\\\.)*'", " ")
                .replaceAll("`[^`]*`", " ")
                .replaceAll("\\{[^}]*}", " ") // label matchers
                .replaceAll("\\[[^]]*]", " ") // ranges and subqueries
                .replaceAll("(?i)\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("(?i)\\boffset\\s+-?[0-9a-z]+", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(e);
        while (m.find()) {
            String name = m.group();
            int after = m.end();
            while (after < e.length() && Character.isWhitespace(e.charAt(after))) {
                after++;
            }
            boolean call = after < e.length() && e.charAt(after) == '(';
            boolean partOfNumber = m.start() > 0 && Character.isDigit(e.charAt(m.start() - 1));
            if (!call && !partOfNumber && !KEYWORDS.contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }

    /** Every "expr" string anywhere in a Grafana dashboard. */
    static List<String> dashboardExpressions(String json) {
        List<String> out = new ArrayList<>();
        collect(Serialization.unmarshal(json, JsonNode.class), out);
        return out;
    }

    private static void collect(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals("expr") && e.getValue().isTextual()) {
                    out.add(e.getValue().asText());
                } else {
                    collect(e.getValue(), out);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, out));
        }
    }

    /** The {@code expr:} values of a PrometheusRule (a Helm template): inline, or the indented block after it. */
    static List<String> ruleExpressions(String template) {
        List<String> out = new ArrayList<>();
        String[] lines = template.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int at = line.indexOf("expr:");
            if (at < 0) {
                continue;
            }
            String rest = line.substring(at + 5).trim();
            if (!rest.isEmpty() && !rest.startsWith("|") && !rest.startsWith(">")) {
                out.add(rest);
                continue;
            }
            int indent = at;
            StringBuilder block = new StringBuilder();
            while (i + 1 < lines.length
                    && (lines[i + 1].isBlank()
                            || lines[i + 1].length()
                                            - lines[i + 1].stripLeading().length()
                                    > indent)) {
                block.append(lines[++i]).append('\n');
            }
            out.add(block.toString());
        }
        return out;
    }
}
