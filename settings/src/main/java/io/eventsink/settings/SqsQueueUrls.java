package io.eventsink.settings;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an SQS queue URL says about where the queue is. One rule for the service (its default
 * {@code AWS_REGION}) and the operator (the region it gives the pods).
 */
public final class SqsQueueUrls {

    /** An AWS region name (eu-north-1, us-gov-west-1, cn-north-1, ap-southeast-5…), as the CRD's queue.region. */
    public static final String REGION_PATTERN = "^[a-z]{2}(-[a-z]+)+-\\d+$";

    private static final String REGION = "([a-z]{2}(?:-[a-z]+)+-\\d+)";
    /**
     * sqs.REGION.amazonaws.com, sqs-fips.REGION.amazonaws.com, sqs.REGION.amazonaws.com.cn,
     * sqs.REGION.api.aws (dual-stack) and VPC endpoints vpce-….sqs.REGION.vpce.amazonaws.com.
     */
    private static final Pattern SQS_HOST = Pattern.compile(
            "^(?:[a-z0-9-]+\\.)?sqs(?:-fips)?\\." + REGION + "\\.(?:vpce\\.)?(?:amazonaws\\.com(?:\\.cn)?|api\\.aws)$");
    /** The legacy form REGION.queue.amazonaws.com. */
    private static final Pattern LEGACY_HOST = Pattern.compile("^" + REGION + "\\.queue\\.amazonaws\\.com(?:\\.cn)?$");

    private SqsQueueUrls() {}

    /** The AWS region in the queue URL's host, or empty when the host is not an AWS SQS host (ElasticMQ…). */
    public static Optional<String> region(String queueUrl) {
        String host;
        try {
            host = URI.create(queueUrl.trim()).getHost();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (host == null) {
            return Optional.empty();
        }
        host = host.toLowerCase(java.util.Locale.ROOT);
        if (host.equals("queue.amazonaws.com")) {
            return Optional.of("us-east-1");
        }
        for (Pattern p : new Pattern[] {SQS_HOST, LEGACY_HOST}) {
            Matcher m = p.matcher(host);
            if (m.matches()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }
}
