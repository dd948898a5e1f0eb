package io.eventsink.settings;

/** Start (warm-up), stop and logging. Read through {@link ServiceSettings}. */
interface LifecycleSettings {
    Setting WARMUP_ENABLED = Setting.bool(
            "WARMUP_ENABLED",
            "config.warmupEnabled",
            true,
            "Before reporting ready, drive the pod's own request path against an in-process stand-in for the"
                    + " queue until it runs at full speed.");
    Setting WARMUP_TIMEOUT_MS = Setting.integer(
            "WARMUP_TIMEOUT_MS",
            "config.warmupTimeoutMs",
            20_000,
            1000,
            120_000,
            "ms",
            "Longest the warm-up may take; readiness comes up when it ends, whether or not it finished.");
    Setting SHUTDOWN_DELAY_MS = Setting.integer(
            "SHUTDOWN_DELAY_MS",
            null,
            0,
            0,
            300_000,
            "ms",
            "On SIGTERM, keep serving this long with readiness DOWN so endpoints update first (the operator sets"
                    + " 5000).");
    Setting SHUTDOWN_TIMEOUT_MS = Setting.integer(
            "SHUTDOWN_TIMEOUT_MS",
            "config.shutdownTimeoutMs",
            25_000,
            0,
            600_000,
            "ms",
            "On shutdown, how long to deliver what is pending after the listener stopped.");
    Setting LOG_LEVEL = Setting.text(
            "LOG_LEVEL",
            "config.logLevel",
            "INFO",
            "^(TRACE|DEBUG|INFO|WARN|ERROR)$",
            "Log level: TRACE, DEBUG, INFO, WARN or ERROR.");
}
