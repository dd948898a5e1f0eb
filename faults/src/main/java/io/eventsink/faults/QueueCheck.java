package io.eventsink.faults;

import io.eventsink.consumer.QueueEvent;
import io.eventsink.consumer.QueueMessages;
import io.eventsink.consumer.UnreadableMessageException;
import io.eventsink.embeddedsqs.EmbeddedSqs;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Reads the queue back and compares it with what the load client was told.
 *
 * <pre>
 * QueueCheck drain endpoint=http://127.0.0.1:23124 queue=&lt;url&gt; out=delivered.txt
 *     every event's sessionId, one line per event (so duplicates show), appended to out; messages in
 *     either format are read with the consumer library, and one it cannot read is a line
 *     {@value #UNREADABLE}
 * QueueCheck compare acked=a.txt[,b.txt] delivered=d.txt[,e.txt] out=result.properties
 *     events acknowledged, delivered, duplicates, lost (acknowledged but not delivered), unreadable
 *     messages; exit status 3 when anything acknowledged is missing or a message was unreadable
 * </pre>
 */
public final class QueueCheck {

    private static final Pattern SESSION_ID = Pattern.compile("\"sessionId\"\\s*:\\s*\"([^\"]+)\"");
    static final String UNREADABLE = "?unreadable";

    private QueueCheck() {}

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            throw new IllegalArgumentException("usage: QueueCheck drain|compare key=value...");
        }
        Map<String, String> args = Args.parse(java.util.Arrays.copyOfRange(argv, 1, argv.length));
        switch (argv[0]) {
            case "drain" -> drain(args);
            case "compare" -> System.exit(compare(args));
            default -> throw new IllegalArgumentException("unknown command " + argv[0]);
        }
    }

    /**
     * Receives every message without deleting it (a long visibility timeout keeps each one
     * received once), in parallel, until the queue reports nothing visible.
     */
    static void drain(Map<String, String> args) throws Exception {
        String queue = args.get("queue");
        Path out = Path.of(args.get("out"));
        ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
        try (SqsClient sqs = client(args.get("endpoint"))) {
            long deadline = System.nanoTime()
                    + Duration.ofSeconds(Long.parseLong(args.getOrDefault("maxSeconds", "60")))
                            .toNanos();
            while (true) {
                List<Thread> readers = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    readers.add(Thread.ofPlatform().start(() -> {
                        int empty = 0;
                        while (empty < 2 && System.nanoTime() < deadline) {
                            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queue)
                                            .maxNumberOfMessages(10)
                                            .messageAttributeNames("All")
                                            .visibilityTimeout(3600)
                                            .waitTimeSeconds(0))
                                    .messages();
                            if (batch.isEmpty()) {
                                empty++;
                                continue;
                            }
                            empty = 0;
                            for (Message m : batch) {
                                ids.addAll(sessionIds(m));
                            }
                        }
                    }));
                }
                for (Thread t : readers) {
                    t.join();
                }
                Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b ->
                                b.queueUrl(queue).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                        .attributes();
                int visible = Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
                if (visible == 0 || System.nanoTime() >= deadline) {
                    break;
                }
            }
        }
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            for (String id : ids) {
                w.write(id);
                w.newLine();
            }
        }
        System.out.println("drained " + ids.size() + " events into " + out);
    }

    /** The sessionId of each event the message holds, in either format. */
    static List<String> sessionIds(Message m) {
        Map<String, String> attributes = new HashMap<>();
        m.messageAttributes().forEach((name, value) -> attributes.put(name, value.stringValue()));
        try {
            List<String> ids = new ArrayList<>();
            for (QueueEvent e : QueueMessages.read(m.body(), attributes)) {
                Matcher matcher = SESSION_ID.matcher(e.json());
                ids.add(matcher.find() ? matcher.group(1) : "?unparsable");
            }
            return ids;
        } catch (UnreadableMessageException e) {
            System.err.println("unreadable message " + m.messageId() + ": " + e.getMessage());
            return List.of(UNREADABLE);
        }
    }

    static int compare(Map<String, String> args) throws IOException {
        Set<String> acked = new HashSet<>();
        for (String f : args.get("acked").split(",")) {
            acked.addAll(Files.readAllLines(Path.of(f)));
        }
        Map<String, Integer> delivered = new HashMap<>();
        long messages = 0;
        long unreadable = 0;
        for (String f : args.get("delivered").split(",")) {
            for (String id : Files.readAllLines(Path.of(f))) {
                if (id.equals(UNREADABLE)) {
                    unreadable++;
                    continue;
                }
                delivered.merge(id, 1, Integer::sum);
                messages++;
            }
        }
        List<String> lost =
                acked.stream().filter(id -> !delivered.containsKey(id)).sorted().toList();
        long duplicates = messages - delivered.size();
        long deliveredNotAcked =
                delivered.keySet().stream().filter(id -> !acked.contains(id)).count();
        Map<String, String> p = new TreeMap<>();
        p.put("acked", Integer.toString(acked.size()));
        p.put("messages", Long.toString(messages));
        p.put("delivered", Integer.toString(delivered.size()));
        p.put("duplicates", Long.toString(duplicates));
        p.put("deliveredNotAcked", Long.toString(deliveredNotAcked));
        p.put("lost", Integer.toString(lost.size()));
        p.put("unreadable", Long.toString(unreadable));
        if (!lost.isEmpty()) {
            p.put("lostSample", String.join(" ", lost.subList(0, Math.min(10, lost.size()))));
        }
        StringBuilder sb = new StringBuilder();
        p.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        if (args.containsKey("out")) {
            Files.writeString(Path.of(args.get("out")), sb.toString());
        }
        System.out.print(sb);
        return lost.isEmpty() && unreadable == 0 ? 0 : 3;
    }

    static SqsClient client(String endpoint) {
        return SqsClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.of(EmbeddedSqs.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(EmbeddedSqs.ACCESS_KEY, EmbeddedSqs.SECRET_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(30)))
                .build();
    }
}
