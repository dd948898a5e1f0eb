package io.eventsink.service.delivery.format;

import java.nio.charset.StandardCharsets;

/** One SQS message attribute: its name, its data type ({@code String} or {@code Number}) and its value. */
public record MessageAttribute(String name, String type, String value) {

    public static final String STRING = "String";
    public static final String NUMBER = "Number";

    public static MessageAttribute string(String name, String value) {
        return new MessageAttribute(name, STRING, value);
    }

    public static MessageAttribute number(String name, long value) {
        return new MessageAttribute(name, NUMBER, Long.toString(value));
    }

    /** What SQS counts of it towards the message's size: name, type and value, in UTF-8 bytes. */
    public int bytes() {
        return name.length() + type.length() + Utf8.length(value);
    }

    /** UTF-8 lengths without encoding. */
    static final class Utf8 {
        private Utf8() {}

        static int length(String s) {
            int n = s.length();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    return s.getBytes(StandardCharsets.UTF_8).length;
                }
            }
            return n;
        }
    }
}
