package io.eventsink.operator;

import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.crd.EventSinkStatus;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an EventSink's status when it changed, and puts the result into the operator's cache right away: the next
 * reconcile must not see the old status (it would recompute transition times and patch again).
 */
final class StatusWriter {
    private static final Logger log = LoggerFactory.getLogger(StatusWriter.class);

    private StatusWriter() {}

    static void patchIfChanged(EventSink es, Context<EventSink> context, EventSinkStatus next) {
        if (next.equals(es.getStatus())) {
            return;
        }
        log.info(
                "Status of {}/{} (generation {}): {}",
                es.getMetadata().getNamespace(),
                es.getMetadata().getName(),
                next.observedGeneration,
                next.conditions);
        PrimaryUpdateAndCacheUtils.patchStatusAndCacheResource(es, context, r -> {
            r.setStatus(next);
            return r;
        });
    }

    /**
     * The same for a failure status, without retrying a conflict (that would wait for the cache, and the reconcile
     * is retried anyway); a failed write is redone by the retry. Not ErrorStatusUpdateControl.patchStatus: JOSDK does
     * not cache that result when it retries, so a retry run at once for a new event saw the old status and
     * announced the failure again.
     */
    static void patchFailureIfChanged(EventSink es, Context<EventSink> context, EventSinkStatus next) {
        if (next.equals(es.getStatus())) {
            return;
        }
        try {
            PrimaryUpdateAndCacheUtils.updateAndCacheResource(
                    es,
                    context,
                    UnaryOperator.identity(),
                    r -> context.getClient().resource(r).editStatus(current -> {
                        current.setStatus(next);
                        return current;
                    }),
                    0,
                    0,
                    0);
        } catch (RuntimeException e) {
            log.warn(
                    "Could not write the failure into the status of {}/{}: {}",
                    es.getMetadata().getNamespace(),
                    es.getMetadata().getName(),
                    e.getMessage());
        }
    }
}
