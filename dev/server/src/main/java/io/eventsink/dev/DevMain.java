package io.eventsink.dev;

import io.eventsink.embeddedsqs.EmbeddedSqs;
import io.eventsink.service.Main;
import io.eventsink.service.Settings;
import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * EventSink for a laptop: starts ElasticMQ in this JVM, creates a queue, and runs the real
 * service against it, without the warm-up before readiness unless asked. Every setting of the service
 * still applies (PORT, CORS_ALLOWED_ORIGINS…);
 * DEV_SQS_PORT (default 9324) and DEV_QUEUE_NAME (default eventsink-dev) pick the queue.
 */
public final class DevMain {

    private DevMain() {}

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Map<String, String> env = new HashMap<>(System.getenv());
        int sqsPort = Integer.parseInt(env.getOrDefault("DEV_SQS_PORT", "9324"));
        String queueName = env.getOrDefault("DEV_QUEUE_NAME", "eventsink-dev");

        EmbeddedSqs sqs = EmbeddedSqs.start(sqsPort);
        String queueUrl = sqs.createQueue(queueName);
        // The service uses the standard AWS credential chain; ElasticMQ accepts any key.
        System.setProperty("aws.accessKeyId", EmbeddedSqs.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", EmbeddedSqs.SECRET_KEY);
        env.put("QUEUE_TYPE", "SQS");
        env.put("SQS_QUEUE_URL", queueUrl);
        env.put("SQS_ENDPOINT", sqs.endpoint());
        env.put("AWS_REGION", EmbeddedSqs.REGION);
        // a laptop wants the service up at once; WARMUP_ENABLED=true tries the production start
        env.putIfAbsent("WARMUP_ENABLED", "false");

        Settings settings = Settings.load(Config.create(), env);
        // ElasticMQ keeps messages in memory: they are gone when this process exits.
        Main.start(settings);

        System.err.printf(
                """

                ================================================================
                 EventSink dev server (embedded ElasticMQ, no AWS needed)
                   events:      POST http://localhost:%d/
                   health:      http://localhost:%d/health/ready
                   metrics:     http://localhost:%d/metrics
                   queue URL:   %s
                   read queue:  curl '%s?Action=ReceiveMessage&MaxNumberOfMessages=10&MessageAttributeName.1=All'
                 Ctrl-C drains pending events and stops.
                ================================================================
                %n""", settings.port(), settings.managementPort(), settings.managementPort(), queueUrl, queueUrl);
    }
}
