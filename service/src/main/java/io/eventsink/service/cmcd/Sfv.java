package io.eventsink.service.cmcd;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Structured Field Values dictionary parser (RFC 8941 section 4.2), as CMCD records use it:
 * {@code key=value} members separated by commas, bare keys meaning true, integers, decimals,
 * quoted strings, tokens, byte sequences, booleans, inner lists and parameters.
 *
 * <p>Lenient where CMCD asks for it (CTA-5004-B section 6: a receiver ignores a value that does
 * not parse and keeps the rest): a member that fails to parse is skipped up to the next comma and
 * reported, the other members stand. Strings may carry non-ASCII characters (bodies are UTF-8).
 * Never throws for any input.
 */
final class Sfv {

    /** A token (unquoted), told apart from a quoted string. */
    record Token(String value) {}

    /** A value with its parameters; the value is a Boolean, Long, BigDecimal, String, Token, byte[] or a List of Items. */
    record Item(Object value, Map<String, Object> params) {}

    /** The members that parsed (the last of duplicate keys wins) and what did not. */
    record Dictionary(Map<String, Item> members, List<String> errors) {}

    private static final int MAX_ERRORS = 8;

    private final String s;
    private int i;
    private final List<String> errors = new ArrayList<>();

    private Sfv(String s) {
        this.s = s;
    }

    static Dictionary parseDictionary(String text) {
        Sfv p = new Sfv(text);
        Map<String, Item> members = new LinkedHashMap<>();
        p.skipOws();
        while (p.i < p.s.length()) {
            int start = p.i;
            try {
                String key = p.key();
                Item value;
                if (p.peek() == '=') {
                    p.i++;
                    value = p.peek() == '(' ? p.innerList() : p.item();
                } else {
                    value = new Item(Boolean.TRUE, p.params());
                }
                p.skipOws();
                if (p.i < p.s.length() && p.peek() != ',') {
                    throw new SyntaxError("expected ',' after the value");
                }
                members.remove(key); // the last duplicate wins, in its own position
                members.put(key, value);
                if (p.i < p.s.length()) {
                    p.i++;
                    p.skipOws();
                    if (p.i >= p.s.length()) {
                        p.error(start, "trailing comma");
                    }
                }
            } catch (SyntaxError e) {
                p.error(start, e.getMessage());
                p.skipMember();
            }
        }
        return new Dictionary(members, List.copyOf(p.errors));
    }

    private void error(int start, String message) {
        if (errors.size() < MAX_ERRORS) {
            String member = s.substring(start, Math.min(s.length(), start + 24));
            errors.add(message + " in '" + member + (s.length() > start + 24 ? "...'" : "'"));
        }
    }

    /** Skips to just past the next comma that is not inside a string or an inner list. */
    private void skipMember() {
        boolean inString = false;
        int depth = 0;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (c == ',' && depth == 0) {
                i++;
                skipOws();
                return;
            }
        }
    }

    private Item innerList() {
        expect('(');
        List<Item> items = new ArrayList<>();
        while (true) {
            while (peek() == ' ') {
                i++;
            }
            if (peek() == ')') {
                i++;
                return new Item(List.copyOf(items), params());
            }
            items.add(item());
            char c = peek();
            if (c != ' ' && c != ')') {
                throw new SyntaxError("expected a space or ')' in an inner list");
            }
        }
    }

    private Item item() {
        Object value = bareItem();
        return new Item(value, params());
    }

    private Map<String, Object> params() {
        Map<String, Object> params = Map.of();
        while (peek() == ';') {
            i++;
            while (peek() == ' ') {
                i++;
            }
            String key = key();
            Object value = Boolean.TRUE;
            if (peek() == '=') {
                i++;
                value = bareItem();
            }
            if (params.isEmpty()) {
                params = new LinkedHashMap<>();
            }
            params.remove(key);
            params.put(key, value);
        }
        return params;
    }

    private Object bareItem() {
        char c = peek();
        if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
        }
        if (c == '"') {
            return string();
        }
        if (c == '*' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
            return token();
        }
        if (c == ':') {
            return bytes();
        }
        if (c == '?') {
            i++;
            char b = peek();
            if (b == '0' || b == '1') {
                i++;
                return b == '1';
            }
            throw new SyntaxError("a boolean is ?0 or ?1");
        }
        throw new SyntaxError(c == 0 ? "missing value" : "unexpected '" + c + "'");
    }

    private Object number() {
        int start = i;
        if (peek() == '-') {
            i++;
        }
        int digitsStart = i;
        while (Character.isDigit(peek()) && peek() < 128) {
            i++;
        }
        int intDigits = i - digitsStart;
        if (intDigits == 0) {
            throw new SyntaxError("a number needs digits");
        }
        if (peek() != '.') {
            if (intDigits > 15) {
                throw new SyntaxError("an integer has at most 15 digits");
            }
            return Long.parseLong(s.substring(start, i));
        }
        if (intDigits > 12) {
            throw new SyntaxError("a decimal has at most 12 integer digits");
        }
        i++;
        int fracStart = i;
        while (Character.isDigit(peek()) && peek() < 128) {
            i++;
        }
        int frac = i - fracStart;
        if (frac == 0 || frac > 3) {
            throw new SyntaxError("a decimal has 1 to 3 fraction digits");
        }
        return new BigDecimal(s.substring(start, i));
    }

    private String string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == '\\') {
                if (i >= s.length()) {
                    break;
                }
                char e = s.charAt(i++);
                if (e != '"' && e != '\\') {
                    throw new SyntaxError("only \\\" and \\\\ are escapes in a string");
                }
                out.append(e);
            } else if (c == '"') {
                return out.toString();
            } else if (c < 0x20 || c == 0x7F) {
                throw new SyntaxError("a control character in a string");
            } else {
                out.append(c);
            }
        }
        throw new SyntaxError("an unterminated string");
    }

    private Token token() {
        int start = i++;
        while (i < s.length() && tokenChar(s.charAt(i))) {
            i++;
        }
        return new Token(s.substring(start, i));
    }

    private byte[] bytes() {
        expect(':');
        int start = i;
        while (i < s.length() && s.charAt(i) != ':') {
            i++;
        }
        if (i >= s.length()) {
            throw new SyntaxError("an unterminated byte sequence");
        }
        String b64 = s.substring(start, i++);
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new SyntaxError("a byte sequence that is not base64");
        }
    }

    private String key() {
        char c = peek();
        if (!(c == '*' || (c >= 'a' && c <= 'z'))) {
            throw new SyntaxError(c == 0 ? "missing key" : "a key starts with a lowercase letter or '*'");
        }
        int start = i++;
        while (i < s.length()) {
            char k = s.charAt(i);
            if ((k >= 'a' && k <= 'z') || (k >= '0' && k <= '9') || k == '_' || k == '-' || k == '.' || k == '*') {
                i++;
            } else {
                break;
            }
        }
        return s.substring(start, i);
    }

    private static boolean tokenChar(char c) {
        return (c >= 'A' && c <= 'Z')
                || (c >= 'a' && c <= 'z')
                || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~:/".indexOf(c) >= 0;
    }

    private void skipOws() {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
    }

    private char peek() {
        return i < s.length() ? s.charAt(i) : 0;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw new SyntaxError("expected '" + c + "'");
        }
        i++;
    }

    private static final class SyntaxError extends RuntimeException {
        SyntaxError(String message) {
            super(message, null, false, false);
        }
    }
}
