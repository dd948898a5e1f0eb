package io.eventsink.service.delivery.sqs;

import io.eventsink.settings.SqsQueueUrls;
import java.net.URI;
import java.util.Optional;

/**
 * Where SQS calls for one queue go and how they are signed.
 *
 * @param queueUrl the queue, as given
 * @param endpoint the API endpoint the calls are posted to: {@code SQS_ENDPOINT} when set (FIPS,
 *     VPC, ElasticMQ…), else the scheme, host and port of the queue URL itself
 * @param region   the signing region: {@code AWS_REGION} when set, else the one in the queue URL's
 *     host, else us-east-1
 */
public record SqsAddress(String queueUrl, URI endpoint, String region) {

    public static SqsAddress of(String queueUrl, Optional<String> endpointOverride, Optional<String> regionOverride) {
        URI endpoint = endpointOverride.map(URI::create).orElseGet(() -> origin(URI.create(queueUrl)));
        String region = regionOverride.or(() -> SqsQueueUrls.region(queueUrl)).orElse("us-east-1");
        return new SqsAddress(queueUrl, endpoint.resolve("/"), region);
    }

    private static URI origin(URI url) {
        return URI.create(url.getScheme() + "://" + url.getRawAuthority() + "/");
    }
}
