package io.eventsink.operator.dependent;

import io.eventsink.operator.OperatorMetrics;
import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.model.EventSinkModel;
import io.eventsink.operator.model.Hashing;
import io.eventsink.operator.model.Labels;
import io.eventsink.operator.model.Ownership;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.GenericResourceUpdater;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Base for the Kubernetes objects an EventSink owns (controller reference, garbage-collected with it).
 * <ul>
 *   <li>The non-SSA matcher ignores fields present only in the actual object, so removing something from the
 *       desired state would go unnoticed: a hash of the desired object in an annotation closes that gap.</li>
 *   <li>Our informers only see objects with our label. An object whose label was removed is invisible to them, so
 *       the create answers 409 AlreadyExists: then the object is read and, if it is ours ({@link Ownership}), its
 *       labels and desired state are put back; if it is someone else's, nothing is touched and the failure says
 *       so ({@link ResourceConflictException}). An object whose owner reference was removed is found by name and
 *       its controller reference put back.</li>
 * </ul>
 */
public abstract class OwnedDependent<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, EventSink>
        implements SecondaryToPrimaryMapper<R> {
    public static final String DESIRED_HASH_ANNOTATION = "eventsink.io/desired-hash";
    private static final Logger log = LoggerFactory.getLogger(OwnedDependent.class);

    private MeterRegistry metrics;

    protected OwnedDependent(Class<R> type) {
        super(type);
    }

    /** Counts adoptions; optional. */
    public OwnedDependent<R> withMetrics(MeterRegistry metrics) {
        this.metrics = metrics;
        return this;
    }

    /** The pure model of this object. */
    protected abstract R build(EventSinkModel model, Context<EventSink> context);

    /** Name of the owned object; every owned object is named after its EventSink unless overridden. */
    protected String objectName(String eventSinkName) {
        return eventSinkName;
    }

    @Override
    protected R desired(EventSink primary, Context<EventSink> context) {
        R desired = build(Models.of(context), context);
        var annotations = desired.getMetadata().getAnnotations() == null
                ? new LinkedHashMap<String, String>()
                : new LinkedHashMap<>(desired.getMetadata().getAnnotations());
        annotations.put(DESIRED_HASH_ANNOTATION, Hashing.sha256Hex(Serialization.asJson(desired), 16));
        desired.getMetadata().setAnnotations(annotations);
        return afterHash(desired, context);
    }

    /** Adjustments that must not count as a change of desired state (e.g. replicas owned by the HPA). */
    protected R afterHash(R desired, Context<EventSink> context) {
        return desired;
    }

    /** Finds our object by name instead of building the whole desired state (which also works when disabled). */
    @Override
    protected ResourceID targetSecondaryResourceID(EventSink primary, Context<EventSink> context) {
        return new ResourceID(
                objectName(primary.getMetadata().getName()),
                primary.getMetadata().getNamespace());
    }

    @Override
    protected InformerEventSourceConfiguration.Builder<R> informerConfigurationBuilder(
            EventSourceContext<EventSink> context) {
        // cache only our own objects, not every Deployment/ConfigMap in the watched namespaces
        return super.informerConfigurationBuilder(context).withLabelSelector(Labels.MANAGED_SELECTOR);
    }

    /**
     * Events on our objects go to their EventSink by owner reference, or, when that was removed, by our instance
     * label (the object is then repaired at once, not at the next periodic pass).
     */
    @Override
    public Set<ResourceID> toPrimaryResourceIDs(R resource) {
        String ns = resource.getMetadata().getNamespace();
        List<OwnerReference> refs = resource.getMetadata().getOwnerReferences();
        Set<ResourceID> owners = refs == null
                ? Set.of()
                : refs.stream()
                        .filter(r -> "EventSink".equals(r.getKind()))
                        .map(r -> new ResourceID(r.getName(), ns))
                        .collect(Collectors.toSet());
        if (!owners.isEmpty()) {
            return owners;
        }
        Map<String, String> labels = resource.getMetadata().getLabels();
        String instance = labels == null ? null : labels.get(Labels.INSTANCE);
        return instance == null ? Set.of() : Set.of(new ResourceID(instance, ns));
    }

    /** A controller reference (the default would be a plain owner reference). */
    @Override
    protected void addReferenceHandlingMetadata(R desired, EventSink primary) {
        desired.getMetadata()
                .setOwnerReferences(
                        Ownership.withControllerReference(desired.getMetadata().getOwnerReferences(), primary));
    }

    /** Also unmatched: our controller reference missing (removed by hand, or written by an older operator). */
    @Override
    public Matcher.Result<R> match(R actual, EventSink primary, Context<EventSink> context) {
        Matcher.Result<R> result = super.match(actual, primary, context);
        if (result.matched() && !Ownership.controlledBy(actual, Models.of(context))) {
            return Matcher.Result.computed(false, result.computedDesired().orElseThrow());
        }
        return result;
    }

    @Override
    public R create(R desired, EventSink primary, Context<EventSink> context) {
        try {
            return super.create(desired, primary, context);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // exists, but our informer does not see it (our label is gone): ours to repair, or someone else's
            R actual = context.getClient().resource(desired).get();
            if (actual == null) {
                throw e; // 409 for another reason (being deleted, say): retried
            }
            return takeOver(actual, desired, primary, context);
        }
    }

    @Override
    public R update(R actual, R desired, EventSink primary, Context<EventSink> context) {
        return takeOver(actual, desired, primary, context);
    }

    /** Writes the desired state over an object that is ours; refuses, untouched, one that is not. */
    private R takeOver(R actual, R desired, EventSink primary, Context<EventSink> context) {
        EventSinkModel m = Models.of(context);
        var claim = Ownership.of(actual, m);
        if (claim == Ownership.Claim.FOREIGN) {
            throw new ResourceConflictException(
                    actual.getKind(), m.namespace(), actual.getMetadata().getName(), ownerOf(actual));
        }
        boolean repair = claim == Ownership.Claim.ADOPTABLE
                || !Ownership.controlledBy(actual, m)
                || !Labels.OPERATOR.equals(labels(actual).get(Labels.MANAGED_BY));
        if (repair) {
            log.info(
                    "Taking back {} {}/{} for its EventSink ({})",
                    actual.getKind(),
                    m.namespace(),
                    actual.getMetadata().getName(),
                    claim == Ownership.Claim.ADOPTABLE ? "owner reference was removed" : "label or reference missing");
            if (metrics != null) {
                metrics.counter(OperatorMetrics.ADOPTIONS, "kind", actual.getKind())
                        .increment();
            }
        }
        addMetadata(false, actual, desired, primary, context);
        R updated = GenericResourceUpdater.updateResource(actual, desired, context);
        updated.getMetadata()
                .setOwnerReferences(
                        Ownership.withControllerReference(actual.getMetadata().getOwnerReferences(), primary));
        return context.getClient().resource(updated).update();
    }

    private static Map<String, String> labels(HasMetadata o) {
        return o.getMetadata().getLabels() == null ? Map.of() : o.getMetadata().getLabels();
    }

    private static String ownerOf(HasMetadata o) {
        List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
        if (refs == null || refs.isEmpty()) {
            return "no owner reference";
        }
        return "owned by "
                + refs.stream().map(r -> r.getKind() + " " + r.getName()).collect(Collectors.joining(", "));
    }
}
