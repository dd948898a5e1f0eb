package io.eventsink.service.cmcd;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads CMCD reports from where players put them: an event-mode body (one record per line,
 * CTA-5004-B section 3.3), the four {@code CMCD-*} request headers, or the {@code CMCD} query
 * argument (section 3.1, 3.2).
 */
public final class CmcdReports {

    /** The request headers of request mode; together they make one report. */
    public static final List<String> HEADERS = List.of("CMCD-Request", "CMCD-Object", "CMCD-Status", "CMCD-Session");

    /** The reports found, and each line that gave nothing usable with why. */
    public record Read(List<CmcdReport> reports, List<String> unparsable, int lines) {}

    /** The body could not be read at all. */
    public static final class Unreadable extends Exception {
        public Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    /** More records than allowed. */
    public static final class TooMany extends Exception {
        public TooMany(int limit) {
            super("more than " + limit + " reports", null, false, false);
        }
    }

    private CmcdReports() {}

    /**
     * The records of an event-mode body: UTF-8, split on LF, a trailing CR and surrounding spaces
     * stripped, empty lines skipped (players end bodies with an LF, CRLF also happens).
     */
    public static Read body(byte[] body, int maxReports) throws Unreadable, TooMany {
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Unreadable("body: not valid UTF-8");
        }
        List<CmcdReport> reports = new ArrayList<>();
        List<String> unparsable = new ArrayList<>();
        int lines = 0;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '\n') {
                String line = text.substring(start, i).strip();
                start = i + 1;
                if (line.isEmpty()) {
                    continue;
                }
                if (++lines > maxReports) {
                    throw new TooMany(maxReports);
                }
                Sfv.Dictionary d = Sfv.parseDictionary(line);
                if (d.members().isEmpty()) {
                    if (unparsable.size() < 10) {
                        unparsable.add("line " + lines + ": "
                                + (d.errors().isEmpty() ? "no CMCD keys" : String.join("; ", d.errors())));
                    }
                } else {
                    reports.add(new CmcdReport(d.members()));
                }
            }
        }
        return new Read(reports, unparsable, lines);
    }

    /**
     * One report from the {@code CMCD-*} headers of a request (name, value pairs; names compared
     * without case), or null when there are none.
     */
    public static CmcdReport headers(Map<String, String> cmcdHeaders) {
        Map<String, Sfv.Item> keys = new LinkedHashMap<>();
        for (String value : cmcdHeaders.values()) {
            keys.putAll(Sfv.parseDictionary(value).members());
        }
        return keys.isEmpty() ? null : new CmcdReport(keys);
    }

    /** One report from the (already URL-decoded) {@code CMCD} query argument, or null when empty. */
    public static CmcdReport query(String value) {
        Map<String, Sfv.Item> keys = Sfv.parseDictionary(value).members();
        return keys.isEmpty() ? null : new CmcdReport(keys);
    }
}
