package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.testkit.MosquittoBroker;
import io.vane.testkit.Poll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measurement, not a test of Vane: {@link BridgeFaultTest}'s kill -9 runs with Debian's mosquitto at
 * both ends (persistence on, its default autosave), for the figures docs/benchmarks.md compares with
 * Vane's. It asserts nothing about loss, since that is what it measures; run it with
 * {@code mvn -B verify -pl vane-it -am -Dtest=BridgeFaultMosquittoComparison -Dvane.bridge.compare=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "vane.bridge.compare", matches = "true")
class BridgeFaultMosquittoComparison {
    @TempDir
    Path dir;

    private final NumberedTraffic traffic = new NumberedTraffic("bridge");
    private final NumberedTraffic.Received far = traffic.new Received();

    private static List<String> broker(Path data) {
        return List.of("persistence true", "persistence_location " + data + "/", "max_queued_messages 100000");
    }

    private static List<String> house(Path data, int remotePort) {
        List<String> lines = new java.util.ArrayList<>(broker(data));
        lines.addAll(List.of("connection public", "address 127.0.0.1:" + remotePort, "remote_clientid house-bridge",
                "cleansession false", "restart_timeout 1", "keepalive_interval 5", "topic bridge/# out 2"));
        return lines;
    }

    private void report(String fault) {
        Poll.until(Duration.ofSeconds(30), far::hasEveryAcknowledged);
        System.out.printf("Mosquitto at both ends, %s: acknowledged %d, delivered %d, missing %s, QoS 2 duplicates %d,"
                + " QoS 1 duplicates %d%n", fault, traffic.ackedCount(), far.q1.size() + far.q2.size(), far.missing(),
                NumberedTraffic.duplicates(far.q2).size(), NumberedTraffic.duplicates(far.q1).size());
    }

    /** Two mosquittos, the house one bridged to the public one, and the persistent subscriber there. */
    private final class Pair implements AutoCloseable {
        final Path pub;
        final Path home;
        final int pubPort = VaneProcess.freePort();
        final int housePort = VaneProcess.freePort();
        MosquittoBroker remote;
        MosquittoBroker local;
        final MqttClient sub;

        Pair() throws Exception {
            pub = Files.createDirectories(dir.resolve("public"));
            home = Files.createDirectories(dir.resolve("house"));
            remote = MosquittoBroker.start(pubPort, pub, broker(pub));
            local = MosquittoBroker.start(housePort, home, house(home, pubPort));
            sub = traffic.subscriber("tcp://127.0.0.1:" + pubPort, "far", far);
            assertThat(Poll.until(Duration.ofSeconds(15), () -> remote.log().contains("house-bridge"))).isTrue();
        }

        String houseUrl() {
            return "tcp://127.0.0.1:" + housePort;
        }

        @Override
        public void close() throws Exception {
            try {
                sub.disconnect();
                sub.close();
            } finally {
                local.close();
                remote.close();
            }
        }
    }

    @Test
    void thePublicBrokerKilledForTenSeconds() throws Exception {
        try (Pair p = new Pair()) {
            traffic.publishThroughFault(p.houseUrl(), 2000, 1000, p.remote::kill, () -> {
                p.remote = MosquittoBroker.start(p.pubPort, p.pub, broker(p.pub));
                NumberedTraffic.reconnect(p.sub);
            });
            report("public broker kill -9 for 10 s");
        }
    }

    @Test
    void thePublicBrokerStoppedWhileMoreThanTheWindowPilesUp() throws Exception {
        try (Pair p = new Pair()) {
            traffic.publishThroughFault(p.houseUrl(), 1500, 300,
                    () -> io.vane.testkit.Processes.run(10, "kill", "-STOP", Long.toString(p.remote.pid())),
                    () -> io.vane.testkit.Processes.run(10, "kill", "-CONT", Long.toString(p.remote.pid())));
            report("public broker SIGSTOP for 3 s");
        }
    }

    @Test
    void theHouseBrokerKilledMidStream() throws Exception {
        try (Pair p = new Pair()) {
            for (int round = 0; round < 2; round++) {
                traffic.publishUntilKilled(p.houseUrl(), Killable.of(p.local), 500 + 700 * round, 3000);
                p.local = MosquittoBroker.start(p.housePort, p.home, house(p.home, p.pubPort));
            }
            report("house broker kill -9, 2 rounds");
        }
    }
}
