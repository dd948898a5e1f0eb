package io.eventsink.operator;

import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.model.EventTransitions.Announcement;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Kubernetes Events on an EventSink, for transitions worth a human's attention (shown by kubectl describe). */
public class EventRecorder {
    public static final String COMPONENT = "eventsink-operator";
    private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);

    private final KubernetesClient client;
    private final Clock clock;
    private final String instance;

    public EventRecorder(KubernetesClient client, Clock clock, String instance) {
        this.client = client;
        this.clock = clock;
        this.instance = instance;
    }

    public void normal(EventSink es, String reason, String message) {
        record(es, "Normal", reason, message);
    }

    public void warning(EventSink es, String reason, String message) {
        record(es, "Warning", reason, message);
    }

    public void record(EventSink es, Announcement a) {
        record(es, a.warning() ? "Warning" : "Normal", a.reason(), a.message());
    }

    private void record(EventSink es, String type, String reason, String message) {
        Instant now = clock.instant();
        String ts = now.truncatedTo(ChronoUnit.SECONDS).toString();
        try {
            client.v1()
                    .events()
                    .inNamespace(es.getMetadata().getNamespace())
                    .resource(new EventBuilder()
                            .withNewMetadata()
                            .withName(es.getMetadata().getName() + "."
                                    + UUID.randomUUID().toString().substring(0, 8))
                            .withNamespace(es.getMetadata().getNamespace())
                            .endMetadata()
                            .withNewInvolvedObject()
                            .withApiVersion(es.getApiVersion())
                            .withKind(es.getKind())
                            .withName(es.getMetadata().getName())
                            .withNamespace(es.getMetadata().getNamespace())
                            .withUid(es.getMetadata().getUid())
                            .withResourceVersion(es.getMetadata().getResourceVersion())
                            .endInvolvedObject()
                            .withType(type)
                            .withReason(reason)
                            .withMessage(message.length() > 1000 ? message.substring(0, 1000) : message)
                            .withFirstTimestamp(ts)
                            .withLastTimestamp(ts)
                            .withCount(1)
                            .withEventTime(new MicroTime(
                                    now.truncatedTo(ChronoUnit.MICROS).toString()))
                            .withAction(reason)
                            .withReportingComponent(COMPONENT)
                            .withReportingInstance(instance)
                            .withNewSource()
                            .withComponent(COMPONENT)
                            .endSource()
                            .build())
                    .create();
        } catch (RuntimeException e) {
            // an event is a courtesy; failing to write one must not fail the reconcile
            log.warn(
                    "Could not record event {} on {}/{}: {}",
                    reason,
                    es.getMetadata().getNamespace(),
                    es.getMetadata().getName(),
                    e.getMessage());
        }
    }
}
