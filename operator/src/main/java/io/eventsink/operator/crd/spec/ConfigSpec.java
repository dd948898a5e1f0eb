package io.eventsink.operator.crd.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.eventsink.settings.ServiceSettings;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import java.util.List;

/**
 * Service settings. Every field, its bounds, default and description come from the settings
 * catalogue ({@link ServiceSettings}), which the service itself reads: the schema accepts exactly what the
 * service starts with. Fields map to the environment variables named in the catalogue.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConfigSpec {
    @JsonPropertyDescription(ServiceSettings.CORS_ALLOWED_ORIGINS_DOC)
    public List<String> corsAllowedOrigins;

    @JsonPropertyDescription(ServiceSettings.HEARTBEAT_INTERVAL_DOC)
    @Min(ServiceSettings.HEARTBEAT_INTERVAL_MIN)
    @Max(ServiceSettings.HEARTBEAT_INTERVAL_MAX)
    @Default("" + ServiceSettings.HEARTBEAT_INTERVAL_DEFAULT)
    public Integer heartbeatIntervalMs;

    @JsonPropertyDescription(ServiceSettings.MAX_BODY_BYTES_DOC)
    @Min(ServiceSettings.MAX_BODY_BYTES_MIN)
    @Max(ServiceSettings.MAX_BODY_BYTES_MAX)
    @Default("" + ServiceSettings.MAX_BODY_BYTES_DEFAULT)
    public Integer maxBodyBytes;

    @JsonPropertyDescription(ServiceSettings.MAX_EVENT_BYTES_DOC)
    @Min(ServiceSettings.MAX_EVENT_BYTES_MIN)
    @Max(ServiceSettings.MAX_EVENT_BYTES_MAX)
    @Default("" + ServiceSettings.MAX_EVENT_BYTES_DEFAULT)
    public Integer maxEventBytes;

    @JsonPropertyDescription(ServiceSettings.MAX_BATCH_EVENTS_DOC)
    @Min(ServiceSettings.MAX_BATCH_EVENTS_MIN)
    @Max(ServiceSettings.MAX_BATCH_EVENTS_MAX)
    @Default("" + ServiceSettings.MAX_BATCH_EVENTS_DEFAULT)
    public Integer maxBatchEvents;

    @JsonPropertyDescription(ServiceSettings.MAX_JSON_DEPTH_DOC)
    @Min(ServiceSettings.MAX_JSON_DEPTH_MIN)
    @Max(ServiceSettings.MAX_JSON_DEPTH_MAX)
    @Default("" + ServiceSettings.MAX_JSON_DEPTH_DEFAULT)
    public Integer maxJsonDepth;

    @JsonPropertyDescription(ServiceSettings.SHARD_ID_PATTERN_DOC)
    @Default(ServiceSettings.SHARD_ID_PATTERN_DEFAULT)
    public String shardIdPattern;

    @JsonPropertyDescription(ServiceSettings.CMCD_ENABLED_DOC)
    @Default("" + ServiceSettings.CMCD_ENABLED_DEFAULT)
    public Boolean cmcdEnabled;

    @JsonPropertyDescription(ServiceSettings.MAX_CONCURRENT_REQUESTS_DOC)
    @Min(ServiceSettings.MAX_CONCURRENT_REQUESTS_MIN)
    @Max(ServiceSettings.MAX_CONCURRENT_REQUESTS_MAX)
    @Default("" + ServiceSettings.MAX_CONCURRENT_REQUESTS_DEFAULT)
    public Integer maxConcurrentRequests;

    @JsonPropertyDescription(ServiceSettings.MAX_CONNECTIONS_DOC)
    @Min(ServiceSettings.MAX_CONNECTIONS_MIN)
    @Max(ServiceSettings.MAX_CONNECTIONS_MAX)
    @Default("" + ServiceSettings.MAX_CONNECTIONS_DEFAULT)
    public Integer maxConnections;

    @JsonPropertyDescription(ServiceSettings.REQUEST_HEAD_TIMEOUT_MS_DOC)
    @Min(ServiceSettings.REQUEST_HEAD_TIMEOUT_MS_MIN)
    @Max(ServiceSettings.REQUEST_HEAD_TIMEOUT_MS_MAX)
    @Default("" + ServiceSettings.REQUEST_HEAD_TIMEOUT_MS_DEFAULT)
    public Integer requestHeadTimeoutMs;

    @JsonPropertyDescription(ServiceSettings.REQUEST_BODY_TIMEOUT_MS_DOC)
    @Min(ServiceSettings.REQUEST_BODY_TIMEOUT_MS_MIN)
    @Max(ServiceSettings.REQUEST_BODY_TIMEOUT_MS_MAX)
    @Default("" + ServiceSettings.REQUEST_BODY_TIMEOUT_MS_DEFAULT)
    public Integer requestBodyTimeoutMs;

    @JsonPropertyDescription(ServiceSettings.RESPONSE_SEND_TIMEOUT_MS_DOC)
    @Min(ServiceSettings.RESPONSE_SEND_TIMEOUT_MS_MIN)
    @Max(ServiceSettings.RESPONSE_SEND_TIMEOUT_MS_MAX)
    @Default("" + ServiceSettings.RESPONSE_SEND_TIMEOUT_MS_DEFAULT)
    public Integer responseSendTimeoutMs;

    @JsonPropertyDescription(ServiceSettings.IDLE_CONNECTION_TIMEOUT_MS_DOC)
    @Min(ServiceSettings.IDLE_CONNECTION_TIMEOUT_MS_MIN)
    @Max(ServiceSettings.IDLE_CONNECTION_TIMEOUT_MS_MAX)
    @Default("" + ServiceSettings.IDLE_CONNECTION_TIMEOUT_MS_DEFAULT)
    public Integer idleConnectionTimeoutMs;

    @JsonPropertyDescription(ServiceSettings.MAX_PENDING_EVENTS_DOC)
    @Min(ServiceSettings.MAX_PENDING_EVENTS_MIN)
    @Max(ServiceSettings.MAX_PENDING_EVENTS_MAX)
    @Default("" + ServiceSettings.MAX_PENDING_EVENTS_DEFAULT)
    public Integer maxPendingEvents;

    @JsonPropertyDescription(ServiceSettings.BATCH_LINGER_MS_DOC)
    @Min(ServiceSettings.BATCH_LINGER_MS_MIN)
    @Max(ServiceSettings.BATCH_LINGER_MS_MAX)
    @Default("" + ServiceSettings.BATCH_LINGER_MS_DEFAULT)
    public Integer batchLingerMs;

    @JsonPropertyDescription(ServiceSettings.MAX_INFLIGHT_BATCHES_DOC)
    @Min(ServiceSettings.MAX_INFLIGHT_BATCHES_MIN)
    @Max(ServiceSettings.MAX_INFLIGHT_BATCHES_MAX)
    @Default("" + ServiceSettings.MAX_INFLIGHT_BATCHES_DEFAULT)
    public Integer maxInflightBatches;

    @JsonPropertyDescription(ServiceSettings.DELIVERY_TIMEOUT_MS_DOC)
    @Min(ServiceSettings.DELIVERY_TIMEOUT_MS_MIN)
    @Max(ServiceSettings.DELIVERY_TIMEOUT_MS_MAX)
    @Default("" + ServiceSettings.DELIVERY_TIMEOUT_MS_DEFAULT)
    public Integer deliveryTimeoutMs;

    @JsonPropertyDescription(ServiceSettings.SHUTDOWN_TIMEOUT_MS_DOC)
    @Min(ServiceSettings.SHUTDOWN_TIMEOUT_MS_MIN)
    @Max(ServiceSettings.SHUTDOWN_TIMEOUT_MS_MAX)
    @Default("" + ServiceSettings.SHUTDOWN_TIMEOUT_MS_DEFAULT)
    public Integer shutdownTimeoutMs;

    @JsonPropertyDescription(ServiceSettings.LOG_LEVEL_DOC)
    @Pattern(ServiceSettings.LOG_LEVEL_PATTERN)
    @Default(ServiceSettings.LOG_LEVEL_DEFAULT)
    public String logLevel;
}
