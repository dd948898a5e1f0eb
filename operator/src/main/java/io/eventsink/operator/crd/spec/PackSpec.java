package io.eventsink.operator.crd.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code spec.queue.pack}: the packed message format's settings. Each field is a service setting: its schema comes
 * from the settings catalogue ({@link io.eventsink.operator.crd.schema.SettingsSchema}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PackSpec {
    public Integer maxBytes;
    public Integer lingerMs;
    public String compression;
}
