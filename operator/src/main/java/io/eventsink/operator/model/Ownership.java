package io.eventsink.operator.model;

import io.eventsink.operator.crd.EventSink;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Whose an existing object is, by the rule Kubernetes controllers follow (ControllerRefManager): an object that
 * names this EventSink as owner is ours; one controlled by someone else is not; an orphan (no controller) is adopted
 * only if it carries our labels for this EventSink, as the objects we create do.
 */
public final class Ownership {
    public enum Claim {
        /** Names this EventSink as owner. */
        OURS,
        /** No controller, our labels for this EventSink: ours with the owner reference stripped. */
        ADOPTABLE,
        /** Controlled by someone else, or not ours by any sign: never touched. */
        FOREIGN
    }

    private Ownership() {}

    public static Claim of(HasMetadata object, EventSinkModel m) {
        List<OwnerReference> refs = refs(object);
        if (refs.stream()
                .anyMatch(
                        r -> Boolean.TRUE.equals(r.getController()) && !m.uid().equals(r.getUid()))) {
            return Claim.FOREIGN;
        }
        if (refs.stream().anyMatch(r -> m.uid().equals(r.getUid()))) {
            return Claim.OURS;
        }
        Map<String, String> labels = object.getMetadata().getLabels();
        boolean ourLabels = labels != null
                && Labels.OPERATOR.equals(labels.get(Labels.MANAGED_BY))
                && m.name().equals(labels.get(Labels.INSTANCE));
        return ourLabels ? Claim.ADOPTABLE : Claim.FOREIGN;
    }

    /** Whether the object carries this EventSink's controller reference as we write it. */
    public static boolean controlledBy(HasMetadata object, EventSinkModel m) {
        return refs(object).stream()
                .anyMatch(r -> m.uid().equals(r.getUid())
                        && Boolean.TRUE.equals(r.getController())
                        && Boolean.TRUE.equals(r.getBlockOwnerDeletion()));
    }

    /** The controller reference to the EventSink: {@code controller: true}, {@code blockOwnerDeletion: true}. */
    public static OwnerReference controllerReference(EventSink es) {
        return new OwnerReferenceBuilder()
                .withApiVersion(es.getApiVersion())
                .withKind(es.getKind())
                .withName(es.getMetadata().getName())
                .withUid(es.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    /** {@code existing} references with ours as the controller reference (any other reference to us replaced). */
    public static List<OwnerReference> withControllerReference(List<OwnerReference> existing, EventSink es) {
        List<OwnerReference> out = new ArrayList<>();
        if (existing != null) {
            existing.stream()
                    .filter(r -> !Objects.equals(r.getUid(), es.getMetadata().getUid()))
                    .forEach(out::add);
        }
        out.add(controllerReference(es));
        return out;
    }

    private static List<OwnerReference> refs(HasMetadata object) {
        var refs = object.getMetadata().getOwnerReferences();
        return refs == null ? List.of() : refs;
    }
}
