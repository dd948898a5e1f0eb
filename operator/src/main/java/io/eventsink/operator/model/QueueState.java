package io.eventsink.operator.model;

/** What the Deployment and the status need to know about the queue once it was reconciled. */
public record QueueState(String url, String arn, String deadLetterUrl, String deadLetterArn, boolean managed) {}
