package io.eventsink.operator.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** The one SHA-256 helper: short hex digests for annotations and shortened names. */
public final class Hashing {
    private Hashing() {}

    /** The first {@code chars} hex digits of the SHA-256 of {@code text} (UTF-8). */
    public static String sha256Hex(String text, int chars) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, chars);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Of a map, independent of its order; {@code k=v} lines so that key/value boundaries count. */
    public static String sha256Hex(Map<String, String> data, int chars) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(data).forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sha256Hex(sb.toString(), chars);
    }
}
