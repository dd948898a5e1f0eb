package io.eventsink.operator.crd;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.Map;

/**
 * The Prometheus Operator's ServiceMonitor (monitoring.coreos.com/v1), with its spec kept as plain JSON: the
 * operator writes a few fields and depends on nothing else of that project. Typed (not a generic resource) so that
 * the client knows its API path without asking the API server, which may not serve it. Its CRD belongs to the
 * Prometheus Operator: the build generates only the EventSink's.
 */
@Group("monitoring.coreos.com")
@Version("v1")
@Kind("ServiceMonitor")
@Plural("servicemonitors")
public class ServiceMonitor extends CustomResource<Map<String, Object>, Void> implements Namespaced {}
