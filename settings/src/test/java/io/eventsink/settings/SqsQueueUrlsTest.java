package io.eventsink.settings;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqsQueueUrlsTest {

    @ParameterizedTest
    @CsvSource(
            nullValues = "none",
            value = {
                "https://sqs.eu-north-1.amazonaws.com/123456789012/events, eu-north-1",
                "https://sqs-fips.us-gov-west-1.amazonaws.com/123456789012/events, us-gov-west-1",
                "https://sqs.cn-north-1.amazonaws.com.cn/123456789012/events, cn-north-1",
                "https://sqs.ap-southeast-5.api.aws/123456789012/events, ap-southeast-5",
                "https://vpce-0a1b2c3d-4e5f6a7b.sqs.eu-west-1.vpce.amazonaws.com/123456789012/events, eu-west-1",
                "https://eu-west-1.queue.amazonaws.com/123456789012/events, eu-west-1",
                "https://queue.amazonaws.com/123456789012/events, us-east-1",
                "HTTPS://SQS.EU-WEST-3.AMAZONAWS.COM/1/q, eu-west-3",
                "http://localhost:9324/000000000000/events, none",
                "http://sqs.eu-west-1.example.com/1/q, none",
                "https://sqs.eu-west-1.amazonaws.com.evil.example/1/q, none",
                "not a url, none"
            })
    void regionFromTheHost(String url, String region) {
        assertThat(SqsQueueUrls.region(url).orElse(null)).isEqualTo(region);
    }

    @org.junit.jupiter.api.Test
    void theRegionPatternAcceptsWhatTheUrlRuleReads() {
        for (String region :
                java.util.List.of("eu-north-1", "us-gov-west-1", "cn-north-1", "ap-southeast-5", "me-central-12")) {
            assertThat(region).matches(SqsQueueUrls.REGION_PATTERN);
            assertThat(SqsQueueUrls.region("https://sqs." + region + ".amazonaws.com/1/q"))
                    .contains(region);
        }
        assertThat("EU-NORTH-1").doesNotMatch(SqsQueueUrls.REGION_PATTERN);
    }
}
