package io.eventsink.bench.delivery;

import io.eventsink.service.EventSinkServer;
import io.eventsink.service.Settings;
import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;

/**
 * The service with a candidate SQS writer ({@code BENCH_WRITER}), otherwise started exactly as
 * {@code io.eventsink.service.Main} starts it. For measurement only.
 */
public final class BenchSink {

    private BenchSink() {}

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Settings settings = Settings.load(Config.create());
        Candidates candidate = Candidates.byId(System.getenv().getOrDefault("BENCH_WRITER", "lean-helidon"));
        EventSinkServer server = settings.queueType() == Settings.QueueType.SQS
                ? EventSinkServer.start(settings, candidate.writer(settings))
                : EventSinkServer.start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "eventsink-shutdown"));
    }
}
