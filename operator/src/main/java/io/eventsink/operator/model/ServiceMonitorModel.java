package io.eventsink.operator.model;

import io.eventsink.operator.crd.ServiceMonitor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A Prometheus Operator ServiceMonitor for the sink's management port, with our labels and the sink's name. */
public final class ServiceMonitorModel {
    /** What API discovery lists when the Prometheus Operator's CRDs are installed. */
    public static final String API = "monitoring.coreos.com/v1";

    public static final String PLURAL = "servicemonitors";
    /** The label every scraped series gets with the EventSink's name (dashboards and alert rules group by it). */
    public static final String EVENTSINK_LABEL = "eventsink";

    private ServiceMonitorModel() {}

    public static ServiceMonitor build(EventSinkModel m) {
        Map<String, String> labels = new LinkedHashMap<>(m.monitoring().labels());
        labels.putAll(Labels.common(m)); // ours win: the informer selects by them
        var meta = Labels.meta(m, m.name());
        meta.setLabels(labels);
        Map<String, Object> endpoint = new LinkedHashMap<>();
        endpoint.put("port", "management");
        endpoint.put("path", "/metrics");
        endpoint.put("interval", m.monitoring().interval());
        endpoint.put(
                "relabelings",
                List.of(
                        relabel("__meta_kubernetes_namespace", "namespace"),
                        relabel("__meta_kubernetes_pod_name", "pod"),
                        relabel("__meta_kubernetes_service_label_app_kubernetes_io_instance", EVENTSINK_LABEL)));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("selector", Map.of("matchLabels", Labels.selector(m)));
        spec.put("namespaceSelector", Map.of("matchNames", List.of(m.namespace())));
        spec.put("endpoints", List.of(endpoint));
        ServiceMonitor sm = new ServiceMonitor();
        sm.setMetadata(meta);
        sm.setSpec(spec);
        return sm;
    }

    private static Map<String, Object> relabel(String source, String target) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("sourceLabels", List.of(source));
        r.put("targetLabel", target);
        r.put("action", "replace");
        return r;
    }
}
