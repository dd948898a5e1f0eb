package io.eventsink.operator.dependent;

import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.model.EventSinkModel;
import io.eventsink.operator.model.QueueSettings;
import io.eventsink.operator.model.QueueState;
import io.eventsink.operator.sqs.QueueException;
import io.eventsink.operator.sqs.SqsQueues;
import io.eventsink.settings.SqsQueueUrls;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The SQS queue (and its dead-letter queue) as the first dependent of the workflow: the Kubernetes objects depend
 * on it. SQS cannot tell us about changes, so a queue is checked when its desired state changes and then once per
 * {@code recheck} (to repair drift); in between, a reconcile (a Deployment status change, say) reuses the last
 * result and makes no SQS call. Likewise, while SQS dictates a wait (a name deleted less than 60 s ago, a name that
 * is someone else's), a reconcile for another reason repeats the failure without calling SQS.
 */
public class SqsQueueDependent implements DependentResource<QueueState, EventSink> {
    private final SqsQueues queues;
    private final Supplier<String> defaultRegion;
    private final Duration recheck;
    private final Clock clock;
    private final Map<String, Checked> checked = new ConcurrentHashMap<>();
    private final Map<String, Refused> refused = new ConcurrentHashMap<>();

    /** The queue as last verified for an EventSink (by uid), and for which desired state. */
    private record Checked(QueueSettings desired, String region, QueueState state, Instant at) {}

    /** A failure SQS dictates a wait for (60-second rule, name conflict): no call before {@code until}. */
    private record Refused(QueueSettings desired, QueueException failure, Instant until) {}

    public SqsQueueDependent(SqsQueues queues, Supplier<String> defaultRegion, Duration recheck, Clock clock) {
        this.queues = queues;
        this.defaultRegion = defaultRegion;
        this.recheck = recheck;
        this.clock = clock;
    }

    @Override
    public ReconcileResult<QueueState> reconcile(EventSink primary, Context<EventSink> context) {
        QueueState state = reconcile(Models.of(context));
        Models.putQueue(context, state);
        return ReconcileResult.noOperation(state);
    }

    QueueState reconcile(EventSinkModel m) {
        String region = region(m);
        Instant now = clock.instant();
        Checked last = checked.get(m.uid());
        if (last != null
                && last.desired().equals(m.queue())
                && last.region().equals(region)
                && now.isBefore(last.at().plus(recheck))) {
            return last.state();
        }
        checked.remove(m.uid()); // a failure below must not leave an old success behind
        Refused wait = refused.get(m.uid());
        if (wait != null && wait.desired().equals(m.queue()) && now.isBefore(wait.until())) {
            // a reconcile caused by some other event: SQS would refuse again, so do not ask it
            QueueException f = wait.failure();
            throw new QueueException(f.reason(), f.getMessage(), Duration.between(now, wait.until()), f);
        }
        refused.remove(m.uid());
        try {
            QueueState state = queues.reconcile(m, region);
            checked.put(m.uid(), new Checked(m.queue(), region, state, now));
            return state;
        } catch (QueueException e) {
            if (e.retryAfter() != null) {
                refused.put(m.uid(), new Refused(m.queue(), e, now.plus(e.retryAfter())));
            }
            throw e;
        }
    }

    /** How long until this EventSink's queue is due for its next check (the reconciler reschedules by it). */
    public Duration untilNextCheck(EventSinkModel m) {
        Checked last = checked.get(m.uid());
        if (last == null) {
            return recheck;
        }
        Duration left = Duration.between(clock.instant(), last.at().plus(recheck));
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** Deletes the queues this EventSink created (deletionPolicy Delete). */
    public void delete(EventSinkModel m) {
        queues.delete(m, region(m));
        forget(m.uid());
    }

    public void forget(String uid) {
        checked.remove(uid);
        refused.remove(uid);
    }

    /**
     * The queue's region, also the pods' AWS_REGION: the spec's, else the queue URL's (the rule the service follows
     * too, {@link SqsQueueUrls}), else the operator's.
     */
    public String region(EventSinkModel m) {
        if (m.queue().region() != null) {
            return m.queue().region();
        }
        String url = m.queue().existingUrl();
        return (url == null ? java.util.Optional.<String>empty() : SqsQueueUrls.region(url)).orElseGet(defaultRegion);
    }

    @Override
    public Class<QueueState> resourceType() {
        return QueueState.class;
    }
}
