package io.eventsink.operator.crd.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import java.util.Map;

/** {@code spec.monitoring}: Prometheus scraping of the management port through a Prometheus Operator ServiceMonitor. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MonitoringSpec {
    public static final boolean ENABLED_DEFAULT = false;
    public static final String INTERVAL_DEFAULT = "30s";

    @JsonPropertyDescription("Create a ServiceMonitor (monitoring.coreos.com/v1) for the management port's /metrics."
            + " Needs the Prometheus Operator's CRDs in the cluster.")
    @Default("" + ENABLED_DEFAULT)
    public Boolean enabled;

    @JsonPropertyDescription("Scrape interval, e.g. 30s or 1m.")
    @Pattern("^[1-9][0-9]*(ms|s|m|h)$")
    @Default(INTERVAL_DEFAULT)
    public String interval;

    @JsonPropertyDescription("Extra labels on the ServiceMonitor, e.g. the one your Prometheus selects by"
            + " (release: kube-prometheus-stack).")
    public Map<String, String> labels;
}
