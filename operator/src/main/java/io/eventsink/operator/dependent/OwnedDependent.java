package io.eventsink.operator.dependent;

import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.model.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;

/**
 * Base for objects the operator owns (owner reference, garbage-collected with the EventSink).
 * <p>
 * The non-SSA matcher ignores fields present only in the actual object, so removing something from the desired
 * state (an env var, a ConfigMap key) would go unnoticed. A hash of the desired object in an annotation closes
 * that gap: any change to what we want changes the annotation and forces an update.
 */
public abstract class OwnedDependent<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, EventSink> {
    public static final String DESIRED_HASH_ANNOTATION = "eventsink.io/desired-hash";

    protected OwnedDependent(Class<R> type) {
        super(type);
    }

    /** The pure model of this object. */
    protected abstract R build(EventSink primary, Context<EventSink> context);

    @Override
    protected R desired(EventSink primary, Context<EventSink> context) {
        R desired = build(primary, context);
        var annotations = desired.getMetadata().getAnnotations() == null
                ? new LinkedHashMap<String, String>()
                : new LinkedHashMap<>(desired.getMetadata().getAnnotations());
        annotations.put(DESIRED_HASH_ANNOTATION, hash(Serialization.asJson(desired)));
        desired.getMetadata().setAnnotations(annotations);
        return afterHash(desired, context);
    }

    /** Adjustments that must not count as a change of desired state (e.g. replicas owned by the HPA). */
    protected R afterHash(R desired, Context<EventSink> context) {
        return desired;
    }

    /** Name of the owned object; every owned object is named after its EventSink unless overridden. */
    protected String objectName(EventSink primary) {
        return primary.getMetadata().getName();
    }

    /** Finds our object by name instead of building the whole desired state (which also works when disabled). */
    @Override
    protected ResourceID targetSecondaryResourceID(EventSink primary, Context<EventSink> context) {
        return new ResourceID(objectName(primary), primary.getMetadata().getNamespace());
    }

    @Override
    protected InformerEventSourceConfiguration.Builder<R> informerConfigurationBuilder(
            EventSourceContext<EventSink> context) {
        // cache only our own objects, not every Deployment/ConfigMap in the watched namespaces
        return super.informerConfigurationBuilder(context).withLabelSelector(Labels.MANAGED_SELECTOR);
    }

    static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
