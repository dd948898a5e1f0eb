package io.eventsink.operator.dependent;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the cluster serves an optional API (the Prometheus Operator's ServiceMonitors), asked through API
 * discovery, which every authenticated client may read (no RBAC rule needed). The answer is kept for
 * {@code recheck}, for all EventSinks together, so a missing API costs one request per interval, not one per
 * reconcile; installing it later is noticed within that interval.
 */
public class ApiPresence {
    private static final Logger log = LoggerFactory.getLogger(ApiPresence.class);

    private final String groupVersion;
    private final String plural;
    private final Duration recheck;
    private final Clock clock;
    private volatile Boolean present;
    private volatile Instant checkedAt = Instant.MIN;

    public ApiPresence(String groupVersion, String plural, Duration recheck, Clock clock) {
        this.groupVersion = groupVersion;
        this.plural = plural;
        this.recheck = recheck;
        this.clock = clock;
    }

    public synchronized boolean isPresent(KubernetesClient client) {
        Instant now = clock.instant();
        if (present == null || now.isAfter(checkedAt.plus(recheck))) {
            boolean found = ask(client);
            if (present == null || present != found) {
                log.info("API {}/{} is {}", groupVersion, plural, found ? "available" : "not installed");
            }
            present = found;
            checkedAt = now;
        }
        return present;
    }

    public String describe() {
        return groupVersion + " " + plural;
    }

    private boolean ask(KubernetesClient client) {
        try {
            APIResourceList list = client.getApiResources(groupVersion);
            return list != null && list.getResources().stream().anyMatch(r -> plural.equals(r.getName()));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw e; // the API server did not answer: the reconcile fails and is retried
        }
    }
}
