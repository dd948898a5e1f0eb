package io.eventsink.operator.model;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The AWS region named in an SQS queue URL. One rule, also the one the service should follow:
 * <ul>
 *   <li>{@code https://sqs.<region>.amazonaws.com/...} and {@code https://sqs-fips.<region>.amazonaws.com/...},
 *       also under {@code .amazonaws.com.cn} (China);</li>
 *   <li>VPC endpoints: {@code https://vpce-<id>.sqs.<region>.vpce.amazonaws.com/...};</li>
 *   <li>legacy: {@code https://<region>.queue.amazonaws.com/...};</li>
 *   <li>anything else (ElasticMQ, LocalStack, a malformed URL): no region, the caller falls back.</li>
 * </ul>
 * The scheme may be http or https and is case-insensitive, as are host names; a region is lower-case letters and
 * digits in dash-separated parts with a digit last (us-east-1, cn-north-1, us-gov-west-1).
 */
public final class AwsRegion {
    private static final String REGION = "([a-z]{2}(?:-[a-z0-9]+)+-\\d+)";
    private static final Pattern QUEUE_URL = Pattern.compile("(?i)^https?://(?:"
            + "sqs(?:-fips)?\\." + REGION + "\\.amazonaws\\.com(?:\\.cn)?"
            + "|vpce-[a-z0-9-]+\\.sqs\\." + REGION + "\\.vpce\\.amazonaws\\.com(?:\\.cn)?"
            + "|" + REGION + "\\.queue\\.amazonaws\\.com(?:\\.cn)?"
            + ")(?::\\d+)?(?:/.*)?$");

    private AwsRegion() {}

    public static Optional<String> fromQueueUrl(String url) {
        if (url == null) {
            return Optional.empty();
        }
        Matcher m = QUEUE_URL.matcher(url.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        for (int g = 1; g <= m.groupCount(); g++) {
            if (m.group(g) != null) {
                return Optional.of(m.group(g).toLowerCase(java.util.Locale.ROOT));
            }
        }
        return Optional.empty();
    }
}
