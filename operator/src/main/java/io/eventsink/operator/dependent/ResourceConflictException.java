package io.eventsink.operator.dependent;

import io.eventsink.operator.ReconcileFailure;

/** An object the operator would own exists under the same name and belongs to someone else: it is left alone. */
public class ResourceConflictException extends ReconcileFailure {
    public static final String REASON = "ResourceConflict";

    public ResourceConflictException(String kind, String namespace, String name, String owner) {
        super(
                REASON,
                kind + " " + namespace + "/" + name + " already exists and is not owned by this EventSink (" + owner
                        + "); it is left untouched: delete or rename it",
                // nothing tells us when the other object goes away (our informers do not see it): the
                // exponential backoff looks again, soon at first, then every 5 minutes
                null,
                false,
                null);
    }
}
