package io.eventsink.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorSettingsTest {

    @Test
    void defaults() {
        var s = OperatorSettings.fromEnv(Map.of("POD_NAMESPACE", "eventsink-system", "HOSTNAME", "op-1"));
        assertThat(s.watchNamespaces()).isEmpty();
        assertThat(s.leaderElection()).isTrue();
        assertThat(s.leaseNamespace()).isEqualTo("eventsink-system");
        assertThat(s.identity()).isEqualTo("op-1");
        assertThat(s.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(s.renewDeadline()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.managementPort()).isEqualTo(8081);
        assertThat(s.awsRegion()).as("left to the SDK region chain").isNull();
        assertThat(s.resync()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void everyVariableIsRead() {
        var s = OperatorSettings.fromEnv(Map.of(
                "WATCH_NAMESPACES",
                " team-a, team-b ,,",
                "LEADER_ELECTION_ENABLED",
                "false",
                "LEADER_ELECTION_NAMESPACE",
                "ops",
                "POD_NAMESPACE",
                "other",
                "OPERATOR_MANAGEMENT_PORT",
                "9000",
                "AWS_REGION",
                "eu-west-1",
                "QUEUE_RESYNC_SECONDS",
                "60",
                "LOG_LEVEL",
                "DEBUG",
                "POD_NAME",
                "op-2"));
        assertThat(s.watchNamespaces()).containsExactlyInAnyOrder("team-a", "team-b");
        assertThat(s.leaderElection()).isFalse();
        assertThat(s.leaseNamespace()).isEqualTo("ops");
        assertThat(s.identity()).isEqualTo("op-2");
        assertThat(s.managementPort()).isEqualTo(9000);
        assertThat(s.awsRegion()).isEqualTo("eu-west-1");
        assertThat(s.resync()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.logLevel()).isEqualTo("DEBUG");
    }
}
