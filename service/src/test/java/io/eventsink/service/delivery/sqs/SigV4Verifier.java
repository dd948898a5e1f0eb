package io.eventsink.service.delivery.sqs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An independent check of AWS Signature Version 4 (written from AWS's published algorithm, not
 * from the SDK), for a request as the server received it: recompute the signature with the
 * secret key and compare.
 */
final class SigV4Verifier {

    record Verdict(boolean valid, String accessKey, String scope, List<String> signedHeaders) {}

    private SigV4Verifier() {}

    /** @param headers the received headers, names in any case, one value each */
    static Verdict verify(String method, String path, Map<String, String> headers, byte[] body, String secretKey) {
        Map<String, String> lower = new TreeMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v.trim()));
        String authorization = lower.get("authorization");
        if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
            return new Verdict(false, null, null, List.of());
        }
        Map<String, String> parts = new TreeMap<>();
        for (String part : authorization.substring("AWS4-HMAC-SHA256 ".length()).split(",")) {
            String[] kv = part.trim().split("=", 2);
            parts.put(kv[0], kv[1]);
        }
        String[] credential = parts.get("Credential").split("/", 2);
        String accessKey = credential[0];
        String scope = credential[1];
        List<String> signed = List.of(parts.get("SignedHeaders").split(";"));
        StringBuilder canonical = new StringBuilder()
                .append(method)
                .append('\n')
                .append(path)
                .append('\n')
                .append('\n'); // no query string
        for (String name : signed) {
            canonical
                    .append(name)
                    .append(':')
                    .append(lower.getOrDefault(name, ""))
                    .append('\n');
        }
        canonical.append('\n').append(String.join(";", signed)).append('\n').append(hex(sha256(body)));
        String amzDate = lower.get("x-amz-date");
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        String[] s = scope.split("/"); // date/region/service/aws4_request
        byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), s[0]);
        key = hmac(key, s[1]);
        key = hmac(key, s[2]);
        key = hmac(key, s[3]);
        String expected = hex(hmac(key, stringToSign));
        return new Verdict(expected.equals(parts.get("Signature")), accessKey, scope, signed);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
