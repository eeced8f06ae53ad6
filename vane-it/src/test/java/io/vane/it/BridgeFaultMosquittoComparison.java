package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.testkit.MosquittoBroker;
import io.vane.testkit.Poll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
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

    @Test
    void thePublicBrokerKilledForTenSeconds() throws Exception {
        Path pub = Files.createDirectories(dir.resolve("public"));
        Path home = Files.createDirectories(dir.resolve("house"));
        int pubPort = VaneProcess.freePort();
        int housePort = VaneProcess.freePort();
        MosquittoBroker remote = MosquittoBroker.start(pubPort, pub, broker(pub));
        MosquittoBroker local = MosquittoBroker.start(housePort, home, house(home, pubPort));
        try {
            MqttClient sub = traffic.subscriber("tcp://127.0.0.1:" + pubPort, "far", far);
            assertThat(Poll.until(Duration.ofSeconds(15), () -> remote.log().contains("house-bridge"))).isTrue();
            AtomicInteger acked = new AtomicInteger();
            Thread t = new Thread(() -> {
                try {
                    traffic.publishPaced("tcp://127.0.0.1:" + housePort, 2000, 100, acked, Duration.ofSeconds(60));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            Poll.until(Duration.ofSeconds(20), () -> acked.get() >= 300);
            remote.kill();
            int atKill = acked.get();
            Poll.until(Duration.ofSeconds(30), () -> acked.get() >= atKill + 1000);
            MosquittoBroker again = MosquittoBroker.start(pubPort, pub, broker(pub));
            try {
                NumberedTraffic.reconnect(sub);
                t.join(60_000);
                report("public broker kill -9 for 10 s");
                sub.disconnect();
                sub.close();
            } finally {
                again.close();
            }
        } finally {
            local.close();
            remote.close();
        }
    }

    @Test
    void thePublicBrokerStoppedWhileMoreThanTheWindowPilesUp() throws Exception {
        Path pub = Files.createDirectories(dir.resolve("public"));
        Path home = Files.createDirectories(dir.resolve("house"));
        int pubPort = VaneProcess.freePort();
        int housePort = VaneProcess.freePort();
        MosquittoBroker remote = MosquittoBroker.start(pubPort, pub, broker(pub));
        MosquittoBroker local = MosquittoBroker.start(housePort, home, house(home, pubPort));
        try {
            MqttClient sub = traffic.subscriber("tcp://127.0.0.1:" + pubPort, "far", far);
            assertThat(Poll.until(Duration.ofSeconds(15), () -> remote.log().contains("house-bridge"))).isTrue();
            AtomicInteger acked = new AtomicInteger();
            Thread t = new Thread(() -> {
                try {
                    traffic.publishPaced("tcp://127.0.0.1:" + housePort, 1500, 100, acked, Duration.ofSeconds(60));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            Poll.until(Duration.ofSeconds(20), () -> acked.get() >= 300);
            io.vane.testkit.Processes.run(10, "kill", "-STOP", Long.toString(remote.pid()));
            int atStop = acked.get();
            Poll.until(Duration.ofSeconds(20), () -> acked.get() >= atStop + 300);
            io.vane.testkit.Processes.run(10, "kill", "-CONT", Long.toString(remote.pid()));
            t.join(60_000);
            report("public broker SIGSTOP for 3 s");
            sub.disconnect();
            sub.close();
        } finally {
            local.close();
            remote.close();
        }
    }

    @Test
    void theHouseBrokerKilledMidStream() throws Exception {
        Path pub = Files.createDirectories(dir.resolve("public"));
        Path home = Files.createDirectories(dir.resolve("house"));
        int pubPort = VaneProcess.freePort();
        int housePort = VaneProcess.freePort();
        MosquittoBroker remote = MosquittoBroker.start(pubPort, pub, broker(pub));
        MosquittoBroker local = MosquittoBroker.start(housePort, home, house(home, pubPort));
        try {
            MqttClient sub = traffic.subscriber("tcp://127.0.0.1:" + pubPort, "far", far);
            assertThat(Poll.until(Duration.ofSeconds(15), () -> remote.log().contains("house-bridge"))).isTrue();
            for (int round = 0; round < 2; round++) {
                traffic.publishUntilKilled("tcp://127.0.0.1:" + housePort, Killable.of(local), 500 + 700 * round, 3000);
                local = MosquittoBroker.start(housePort, home, house(home, pubPort));
            }
            report("house broker kill -9, 2 rounds");
            sub.disconnect();
            sub.close();
        } finally {
            local.close();
            remote.close();
        }
    }
}
