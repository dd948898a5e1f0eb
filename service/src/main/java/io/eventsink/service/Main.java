package io.eventsink.service;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Starts EventSink from application.yaml and the environment. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Settings settings;
        try {
            settings = Settings.load(Config.create());
        } catch (IllegalArgumentException e) {
            // A configuration mistake: say what it is, no stack trace.
            System.err.println("EventSink configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        start(settings);
    }

    /** Applies the log level, starts the server and installs the SIGTERM handling. */
    public static EventSinkServer start(Settings settings) {
        applyLogLevel(settings.logLevel());
        EventSinkServer server = EventSinkServer.start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "eventsink-shutdown"));
        return server;
    }

    /** {@code level} is one LOG_LEVEL allows, already in upper case (Settings checks it). */
    static void applyLogLevel(String level) {
        Level jul = switch (level) {
            case "TRACE" -> Level.FINEST;
            case "DEBUG" -> Level.FINE;
            case "WARN" -> Level.WARNING;
            case "ERROR" -> Level.SEVERE;
            default -> Level.INFO;
        };
        Logger.getLogger("io.eventsink").setLevel(jul);
        Logger.getLogger("").setLevel(jul.intValue() < Level.INFO.intValue() ? jul : Level.INFO);
    }
}
