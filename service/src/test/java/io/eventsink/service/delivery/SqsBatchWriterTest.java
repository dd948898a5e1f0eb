package io.eventsink.service.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqsBatchWriterTest {

    @Test
    void regionIsReadFromAnAwsQueueUrl() {
        assertThat(SqsBatchWriter.regionFromQueueUrl("https://sqs.eu-north-1.amazonaws.com/123456789012/events"))
                .isEqualTo("eu-north-1");
        assertThat(SqsBatchWriter.regionFromQueueUrl("http://localhost:9324/0/q"))
                .isEqualTo("us-east-1");
    }
}
