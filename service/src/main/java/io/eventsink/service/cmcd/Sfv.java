package io.eventsink.service.cmcd;

import io.eventsink.service.cmcd.SfvScanner.SyntaxError;
import java.util.ArrayList;
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

    private final SfvScanner in;
    private final List<String> errors = new ArrayList<>();

    private Sfv(String text) {
        this.in = new SfvScanner(text);
    }

    static Dictionary parseDictionary(String text) {
        Sfv p = new Sfv(text);
        SfvScanner in = p.in;
        Map<String, Item> members = new LinkedHashMap<>();
        in.skipOws();
        while (!in.atEnd()) {
            int start = in.pos();
            try {
                String key = in.key();
                Item value;
                if (in.peek() == '=') {
                    in.skip();
                    value = in.peek() == '(' ? p.innerList() : p.item();
                } else {
                    value = new Item(Boolean.TRUE, p.params());
                }
                in.skipOws();
                if (!in.atEnd() && in.peek() != ',') {
                    throw new SyntaxError("expected ',' after the value");
                }
                members.remove(key); // the last duplicate wins, in its own position
                members.put(key, value);
                if (!in.atEnd()) {
                    in.skip();
                    in.skipOws();
                    if (in.atEnd()) {
                        p.error(start, "trailing comma");
                    }
                }
            } catch (SyntaxError e) {
                p.error(start, e.getMessage());
                in.skipMember();
            }
        }
        return new Dictionary(members, List.copyOf(p.errors));
    }

    private void error(int start, String message) {
        if (errors.size() < MAX_ERRORS) {
            errors.add(message + " in '" + in.excerpt(start) + "'");
        }
    }

    private Item innerList() {
        in.expect('(');
        List<Item> items = new ArrayList<>();
        while (true) {
            in.skipSpaces();
            if (in.peek() == ')') {
                in.skip();
                return new Item(List.copyOf(items), params());
            }
            items.add(item());
            char c = in.peek();
            if (c != ' ' && c != ')') {
                throw new SyntaxError("expected a space or ')' in an inner list");
            }
        }
    }

    private Item item() {
        Object value = in.bareItem();
        return new Item(value, params());
    }

    private Map<String, Object> params() {
        Map<String, Object> params = Map.of();
        while (in.peek() == ';') {
            in.skip();
            in.skipSpaces();
            String key = in.key();
            Object value = Boolean.TRUE;
            if (in.peek() == '=') {
                in.skip();
                value = in.bareItem();
            }
            if (params.isEmpty()) {
                params = new LinkedHashMap<>();
            }
            params.remove(key);
            params.put(key, value);
        }
        return params;
    }
}
