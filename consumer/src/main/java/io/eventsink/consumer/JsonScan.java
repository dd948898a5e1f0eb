package io.eventsink.consumer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Just enough JSON to read an envelope line: the members of one object with the raw text of each
 * value, and string literals decoded. The raw text matters: an event is handed on exactly as sent.
 */
final class JsonScan {

    private static final int MAX_DEPTH = 1000;

    private final String s;
    private int i;

    private JsonScan(String s, int from) {
        this.s = s;
        this.i = from;
    }

    /** The members of the object {@code json} (and nothing after it), each value as raw text. */
    static Map<String, String> members(String json) throws UnreadableMessageException {
        JsonScan scan = new JsonScan(json, 0);
        Map<String, String> members = new LinkedHashMap<>();
        scan.space();
        scan.expect('{');
        scan.space();
        if (scan.peek() == '}') {
            scan.i++;
        } else {
            while (true) {
                scan.space();
                String key = decode(scan.rawString());
                scan.space();
                scan.expect(':');
                scan.space();
                int start = scan.i;
                scan.value(1);
                members.put(key, json.substring(start, scan.i));
                scan.space();
                if (scan.peek() == ',') {
                    scan.i++;
                    continue;
                }
                scan.expect('}');
                break;
            }
        }
        scan.space();
        if (scan.i != json.length()) {
            throw new UnreadableMessageException("trailing data after a JSON object");
        }
        return members;
    }

    /** The text of a JSON string literal (quotes included), decoded. */
    static String decode(String literal) throws UnreadableMessageException {
        if (literal.length() < 2 || literal.charAt(0) != '"' || literal.charAt(literal.length() - 1) != '"') {
            throw new UnreadableMessageException("expected a JSON string, got " + shorten(literal));
        }
        StringBuilder out = new StringBuilder(literal.length());
        for (int k = 1; k < literal.length() - 1; k++) {
            char c = literal.charAt(k);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = literal.charAt(++k);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    try {
                        out.append((char) Integer.parseInt(literal.substring(k + 1, k + 5), 16));
                    } catch (RuntimeException bad) {
                        throw new UnreadableMessageException("a bad \\u escape in " + shorten(literal));
                    }
                    k += 4;
                }
                default -> throw new UnreadableMessageException("a bad escape in " + shorten(literal));
            }
        }
        return out.toString();
    }

    private void value(int depth) throws UnreadableMessageException {
        if (depth > MAX_DEPTH) {
            throw new UnreadableMessageException("nested deeper than " + MAX_DEPTH);
        }
        char c = peek();
        switch (c) {
            case '{' -> container('}', true, depth);
            case '[' -> container(']', false, depth);
            case '"' -> rawString();
            default -> scalar();
        }
    }

    private void container(char close, boolean object, int depth) throws UnreadableMessageException {
        i++;
        space();
        if (peek() == close) {
            i++;
            return;
        }
        while (true) {
            space();
            if (object) {
                rawString();
                space();
                expect(':');
                space();
            }
            value(depth + 1);
            space();
            if (peek() == ',') {
                i++;
                continue;
            }
            expect(close);
            return;
        }
    }

    private String rawString() throws UnreadableMessageException {
        int start = i;
        expect('"');
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return s.substring(start, i);
            }
        }
        throw new UnreadableMessageException("an unterminated string");
    }

    private void scalar() throws UnreadableMessageException {
        int start = i;
        while (i < s.length() && "{}[],: \t\r\n".indexOf(s.charAt(i)) < 0) {
            i++;
        }
        String token = s.substring(start, i);
        if (!(token.equals("true") || token.equals("false") || token.equals("null") || number(token))) {
            throw new UnreadableMessageException("not a JSON value: " + shorten(token));
        }
    }

    private static boolean number(String token) {
        return token.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    }

    private void space() {
        while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
    }

    private char peek() throws UnreadableMessageException {
        if (i >= s.length()) {
            throw new UnreadableMessageException("JSON ends too early");
        }
        return s.charAt(i);
    }

    private void expect(char c) throws UnreadableMessageException {
        if (peek() != c) {
            throw new UnreadableMessageException("expected '" + c + "' at " + i + ", got '" + s.charAt(i) + "'");
        }
        i++;
    }

    private static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
