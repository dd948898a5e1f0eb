package io.eventsink.service.delivery;

/** Test access to package-private helpers. */
public final class SqsBatchWriterAccess {

    private SqsBatchWriterAccess() {
    }

    public static String region(String queueUrl) {
        return SqsBatchWriter.regionFromQueueUrl(queueUrl);
    }
}
