package io.eventsink.service.delivery.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventsink.service.delivery.WriteFailure.Kind;
import io.eventsink.service.delivery.sqs.SqsErrors.SqsError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The error answers SQS documents for its JSON protocol (status, {@code __type}, the
 * {@code x-amzn-query-error} header; SQS Developer Guide "Interpreting Amazon SQS JSON API
 * responses", API Reference "Common Errors" and the SendMessageBatch errors), and what they mean
 * to delivery.
 */
class SqsErrorsTest {

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                "400|com.amazonaws.sqs#QueueDoesNotExist|AWS.SimpleQueueService.NonExistentQueue;Sender|REFUSED|QueueDoesNotExist|false",
                "400|com.amazon.coral.service#AccessDeniedException|-|REFUSED|AccessDeniedException|false",
                "403|com.amazon.coral.service#InvalidClientTokenId|-|REFUSED|InvalidClientTokenId|true",
                "400|com.amazon.coral.service#ExpiredTokenException|-|REFUSED|ExpiredTokenException|true",
                "400|com.amazon.coral.service#RequestExpired|-|REFUSED|RequestExpired|true",
                "400|com.amazonaws.sqs#RequestThrottled|AWS.SimpleQueueService.RequestThrottled;Sender|THROTTLED|RequestThrottled|false",
                "400|com.amazon.coral.availability#ThrottlingException|-|THROTTLED|ThrottlingException|false",
                "400|com.amazonaws.sqs#KmsThrottled|-|THROTTLED|KmsThrottled|false",
                "400|com.amazonaws.sqs#KmsAccessDenied|-|REFUSED|KmsAccessDenied|false",
                "400|com.amazonaws.sqs#BatchRequestTooLong|AWS.SimpleQueueService.BatchRequestTooLong;Sender|REFUSED|BatchRequestTooLong|false",
                "500|com.amazon.coral.service#InternalFailure|-|UNREACHABLE|InternalFailure|false",
                "503|com.amazon.coral.availability#ServiceUnavailableException|-|UNREACHABLE|ServiceUnavailableException|false",
            })
    void documentedErrorsAreClassified(
            int status, String type, String header, Kind kind, String code, boolean expired) {
        byte[] body = ("{\"__type\":\"" + type + "\",\"message\":\"what happened\"}").getBytes(StandardCharsets.UTF_8);
        SqsError error = SqsErrors.parse(status, body, header);
        assertThat(error.code()).isEqualTo(code);
        assertThat(error.message()).isEqualTo("what happened");
        assertThat(error.kind()).isEqualTo(kind);
        assertThat(error.expiredCredentials()).isEqualTo(expired);
        assertThat(error.failure().getMessage()).isEqualTo("SQS answered " + status + " " + code + ": what happened");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                "502|<html><body>Bad Gateway</body></html>|-|HTTP502|UNREACHABLE",
                "400||AWS.SimpleQueueService.NonExistentQueue;Sender|AWS.SimpleQueueService.NonExistentQueue|REFUSED",
                "504|{\"unexpected\":[1,{\"x\":2}]}|-|HTTP504|UNREACHABLE",
            })
    void answersWithoutAJsonTypeFallBackToTheHeaderOrTheStatus(
            int status, String body, String header, String code, Kind kind) {
        SqsError error =
                SqsErrors.parse(status, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), header);
        assertThat(error.code()).isEqualTo(code);
        assertThat(error.kind()).isEqualTo(kind);
    }
}
