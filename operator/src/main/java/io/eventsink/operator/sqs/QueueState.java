package io.eventsink.operator.sqs;

/** What the Deployment and the status need to know about the queue after it was reconciled. */
public record QueueState(String url, String arn, String deadLetterUrl, String deadLetterArn, boolean managed) {}
