package io.eventsink.service.cmcd;

import java.math.BigDecimal;
import java.util.Base64;

/**
 * The lexical side of RFC 8941 for {@link Sfv}: a position in the text and the bare items, keys and
 * whitespace read from it. A malformed item throws {@link SyntaxError}, which the dictionary parser
 * turns into a skipped member.
 */
final class SfvScanner {

    private final String text;
    private int pos;

    SfvScanner(String text) {
        this.text = text;
    }

    int pos() {
        return pos;
    }

    boolean atEnd() {
        return pos >= text.length();
    }

    /** Moves past the current character. */
    void skip() {
        pos++;
    }

    /** Skips spaces only (inside inner lists and parameters). */
    void skipSpaces() {
        while (peek() == ' ') {
            pos++;
        }
    }

    /** The text from {@code start}, cut short, for an error message. */
    String excerpt(int start) {
        String member = text.substring(start, Math.min(text.length(), start + 24));
        return member + (text.length() > start + 24 ? "..." : "");
    }

    /** Skips to just past the next comma that is not inside a string or an inner list. */
    void skipMember() {
        boolean inString = false;
        int depth = 0;
        for (; pos < text.length(); pos++) {
            char c = text.charAt(pos);
            if (inString) {
                if (c == '\\') {
                    pos++;
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
                pos++;
                skipOws();
                return;
            }
        }
    }

    Object bareItem() {
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
            pos++;
            char b = peek();
            if (b == '0' || b == '1') {
                pos++;
                return b == '1';
            }
            throw new SyntaxError("a boolean is ?0 or ?1");
        }
        throw new SyntaxError(c == 0 ? "missing value" : "unexpected '" + c + "'");
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        int digitsStart = pos;
        while (Character.isDigit(peek()) && peek() < 128) {
            pos++;
        }
        int intDigits = pos - digitsStart;
        if (intDigits == 0) {
            throw new SyntaxError("a number needs digits");
        }
        if (peek() != '.') {
            if (intDigits > 15) {
                throw new SyntaxError("an integer has at most 15 digits");
            }
            return Long.parseLong(text.substring(start, pos));
        }
        if (intDigits > 12) {
            throw new SyntaxError("a decimal has at most 12 integer digits");
        }
        pos++;
        int fracStart = pos;
        while (Character.isDigit(peek()) && peek() < 128) {
            pos++;
        }
        int frac = pos - fracStart;
        if (frac == 0 || frac > 3) {
            throw new SyntaxError("a decimal has 1 to 3 fraction digits");
        }
        return new BigDecimal(text.substring(start, pos));
    }

    private String string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '\\') {
                if (pos >= text.length()) {
                    break;
                }
                char e = text.charAt(pos++);
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

    private Sfv.Token token() {
        int start = pos++;
        while (pos < text.length() && tokenChar(text.charAt(pos))) {
            pos++;
        }
        return new Sfv.Token(text.substring(start, pos));
    }

    private byte[] bytes() {
        expect(':');
        int start = pos;
        while (pos < text.length() && text.charAt(pos) != ':') {
            pos++;
        }
        if (pos >= text.length()) {
            throw new SyntaxError("an unterminated byte sequence");
        }
        String b64 = text.substring(start, pos++);
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new SyntaxError("a byte sequence that is not base64");
        }
    }

    String key() {
        char c = peek();
        if (!(c == '*' || (c >= 'a' && c <= 'z'))) {
            throw new SyntaxError(c == 0 ? "missing key" : "a key starts with a lowercase letter or '*'");
        }
        int start = pos++;
        while (pos < text.length()) {
            char k = text.charAt(pos);
            if ((k >= 'a' && k <= 'z') || (k >= '0' && k <= '9') || k == '_' || k == '-' || k == '.' || k == '*') {
                pos++;
            } else {
                break;
            }
        }
        return text.substring(start, pos);
    }

    private static boolean tokenChar(char c) {
        return (c >= 'A' && c <= 'Z')
                || (c >= 'a' && c <= 'z')
                || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~:/".indexOf(c) >= 0;
    }

    void skipOws() {
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
            pos++;
        }
    }

    char peek() {
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    void expect(char c) {
        if (peek() != c) {
            throw new SyntaxError("expected '" + c + "'");
        }
        pos++;
    }

    /** A member, an item or a list that does not parse; the dictionary parser skips to the next member. */
    static final class SyntaxError extends RuntimeException {
        SyntaxError(String message) {
            super(message, null, false, false);
        }
    }
}
