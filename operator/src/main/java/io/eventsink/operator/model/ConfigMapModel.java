package io.eventsink.operator.model;

import static io.eventsink.operator.model.Defaults.get;

import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.crd.EventSinkSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** The service's configuration as environment variables (see the main README), loaded with envFrom. */
public final class ConfigMapModel {

    private ConfigMapModel() {}

    public static Map<String, String> data(EventSink es) {
        EventSinkSpec.Config c = Defaults.config(es.getSpec());
        Map<String, String> d = new TreeMap<>();
        d.put("PORT", String.valueOf(Defaults.HTTP_PORT));
        d.put("MANAGEMENT_PORT", String.valueOf(Defaults.MANAGEMENT_PORT));
        d.put("HOST", "0.0.0.0");
        d.put("QUEUE_TYPE", "SQS");
        if (c.corsAllowedOrigins != null && !c.corsAllowedOrigins.isEmpty()) {
            d.put("CORS_ALLOWED_ORIGINS", String.join(",", c.corsAllowedOrigins));
        }
        d.put("HEARTBEAT_INTERVAL", str(get(c, x -> x.heartbeatIntervalMs, Defaults.HEARTBEAT_INTERVAL_MS)));
        d.put("MAX_BODY_BYTES", str(get(c, x -> x.maxBodyBytes, Defaults.MAX_BODY_BYTES)));
        d.put("MAX_PENDING_EVENTS", str(get(c, x -> x.maxPendingEvents, Defaults.MAX_PENDING_EVENTS)));
        d.put("BATCH_LINGER_MS", str(get(c, x -> x.batchLingerMs, Defaults.BATCH_LINGER_MS)));
        d.put("MAX_INFLIGHT_BATCHES", str(get(c, x -> x.maxInflightBatches, Defaults.MAX_INFLIGHT_BATCHES)));
        d.put("DELIVERY_TIMEOUT_MS", str(get(c, x -> x.deliveryTimeoutMs, Defaults.DELIVERY_TIMEOUT_MS)));
        d.put("SHUTDOWN_DELAY_MS", str(Defaults.SHUTDOWN_DELAY_MS));
        d.put("SHUTDOWN_TIMEOUT_MS", str(Defaults.shutdownTimeoutMs(es.getSpec())));
        d.put("LOG_LEVEL", get(c, x -> x.logLevel, Defaults.LOG_LEVEL));
        return d;
    }

    public static ConfigMap build(EventSink es) {
        return new ConfigMapBuilder()
                .withMetadata(Labels.meta(es, Labels.configMapName(es)))
                .withData(data(es))
                .build();
    }

    /** Pod annotation value: changes whenever the config does, which rolls the pods. */
    public static String hash(Map<String, String> data) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(data).forEach((k, v) -> {
                md.update(k.getBytes(StandardCharsets.UTF_8));
                md.update((byte) '=');
                md.update(v.getBytes(StandardCharsets.UTF_8));
                md.update((byte) '\n');
            });
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String str(int v) {
        return Integer.toString(v);
    }
}
