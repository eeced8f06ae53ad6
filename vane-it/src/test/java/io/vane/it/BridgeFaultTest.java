package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.testkit.Poll;
import io.vane.testkit.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bridge loses nothing through a fault on either side: numbered QoS 1 and QoS 2 traffic (100 msg/s
 * where the publisher's broker stays up) from a publisher on the house broker, over a bridge
 * ({@code topic bridge/# out 2}, persistence on at both ends), to a persistent subscriber on the public
 * broker. One fault per test: the public broker killed with SIGKILL for ten seconds' worth of traffic;
 * the house broker killed with SIGKILL mid-stream (twice); the public broker stopped (SIGSTOP) while
 * more than the in-flight window piles up; the link between them cut silently (no FIN, no RST) for
 * longer than the keep-alive, with the public broker in a network namespace of the test's own. Each
 * checks: no acknowledged message missing, QoS 2 exactly once, first arrivals in order.
 */
class BridgeFaultTest {
    private static final int RATE = 100;

    @TempDir
    Path dir;

    private final NumberedTraffic traffic = new NumberedTraffic("bridge");
    private final NumberedTraffic.Received far = traffic.new Received();

    private static String brokerConfig(int port, Path data) {
        return "listener " + port + "\nallow_anonymous true\npersistence true\npersistence_location " + data
                + "\nmax_queued_messages 100000\n";
    }

    private static String houseConfig(int port, Path data, String remoteHost, int remotePort) {
        return "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location " + data
                + "\nmax_queued_messages 100000\nconnection public\naddress " + remoteHost + ":" + remotePort
                + "\nremote_clientid house-bridge\nrestart_timeout 1\nkeepalive_interval 5\ntopic bridge/# out 2\n";
    }

    private Path folder(String name) throws Exception {
        return Files.createDirectories(dir.resolve(name));
    }

    private static String url(String host, int port) {
        return "tcp://" + host + ":" + port;
    }

    /** The checks and the line of figures the closing note quotes. */
    private void assertNothingLost(String fault) {
        boolean all = Poll.until(Duration.ofSeconds(90), far::hasEveryAcknowledged);
        int delivered = far.q1.size() + far.q2.size();
        System.out.printf("BridgeFaultTest %s: acknowledged %d, delivered %d, missing %s, QoS 2 duplicates %d,"
                + " QoS 1 duplicates %d%n", fault, traffic.ackedCount(), delivered, far.missing(),
                NumberedTraffic.duplicates(far.q2).size(), NumberedTraffic.duplicates(far.q1).size());
        assertThat(all).as("%s: every acknowledged message crossed; missing %s", fault, far.missing()).isTrue();
        traffic.assertExactlyOnceAndInOrder(0, List.of(far));
    }

    /** A public broker, a house broker bridged to it, and the persistent subscriber on the public one. */
    private final class Pair implements AutoCloseable {
        final Path pub;
        final Path house;
        final int pubPort = VaneProcess.freePort();
        final int housePort = VaneProcess.freePort();
        VaneProcess remote;
        VaneProcess local;
        final MqttClient sub;

        Pair() throws Exception {
            pub = folder("public");
            house = folder("house");
            remote = VaneProcess.start(pub, pubPort, brokerConfig(pubPort, pub.resolve("data")));
            local = VaneProcess.start(house, housePort, houseConfig(housePort, house.resolve("data"), "127.0.0.1",
                    pubPort));
            sub = traffic.subscriber(url("127.0.0.1", pubPort), "far", far);
            assertThat(remote.awaitOutput(Duration.ofSeconds(15), "New bridge connected")).isTrue();
        }

        String houseUrl() {
            return url("127.0.0.1", housePort);
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
            // Down for ten seconds of traffic: the house acknowledges 1,000 more meanwhile.
            traffic.publishThroughFault(p.houseUrl(), 2000, 10 * RATE, p.remote::kill, () -> {
                p.remote = VaneProcess.run(p.pub, p.pubPort, "-c", p.pub.resolve("vane.conf").toString());
                NumberedTraffic.reconnect(p.sub);
            });
            assertNothingLost("public broker kill -9 for 10 s");
        }
    }

    @Test
    void theHouseBrokerKilledMidStream() throws Exception {
        try (Pair p = new Pair()) {
            for (int round = 0; round < 2; round++) {
                traffic.publishUntilKilled(p.houseUrl(), p.local, 500 + 700 * round, 3000);
                assertThat(p.local.isAlive()).isFalse();
                p.local = VaneProcess.run(p.house, p.housePort, "-c", p.house.resolve("vane.conf").toString());
                assertThat(p.local.output()).doesNotContain("moved aside");
            }
            assertNothingLost("house broker kill -9, 2 rounds");
        }
    }

    @Test
    void thePublicBrokerStoppedWhileMoreThanTheWindowPilesUp() throws Exception {
        try (Pair p = new Pair()) {
            // Three seconds of traffic: 300 messages against an in-flight window of 20.
            traffic.publishThroughFault(p.houseUrl(), 1500, 3 * RATE, () -> signal("STOP", p.remote.pid()),
                    () -> signal("CONT", p.remote.pid()));
            assertNothingLost("public broker SIGSTOP for 3 s");
        }
    }

    /**
     * The silent cut: the public broker runs in a network namespace joined to this one by a veth pair;
     * the link is set down for longer than the bridge's keep-alive, so neither side hears a FIN or RST.
     * The bridge must notice by its own keep-alive, reconnect when the link is back and resend.
     */
    @Test
    void aSilentCutLongerThanTheKeepAlive() throws Exception {
        String ns = "vane-it-" + ProcessHandle.current().pid();
        String hostSide = "vh" + ProcessHandle.current().pid() % 100_000;
        String nsSide = "vn" + ProcessHandle.current().pid() % 100_000;
        String hostAddress = "10.213.0.1";
        String nsAddress = "10.213.0.2";
        requireOk("ip", "netns", "add", ns);
        try {
            requireOk("ip", "link", "add", hostSide, "type", "veth", "peer", "name", nsSide);
            requireOk("ip", "link", "set", nsSide, "netns", ns);
            requireOk("ip", "addr", "add", hostAddress + "/30", "dev", hostSide);
            requireOk("ip", "link", "set", hostSide, "up");
            requireOk("ip", "netns", "exec", ns, "ip", "addr", "add", nsAddress + "/30", "dev", nsSide);
            requireOk("ip", "netns", "exec", ns, "ip", "link", "set", nsSide, "up");
            requireOk("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");

            Path pub = folder("public");
            Path house = folder("house");
            int pubPort = VaneProcess.freePort();
            int housePort = VaneProcess.freePort();
            Files.writeString(pub.resolve("vane.conf"), brokerConfig(pubPort, pub.resolve("data")));
            VaneProcess remote = VaneProcess.runWith(Map.of(), List.of("ip", "netns", "exec", ns), nsAddress, pub,
                    pubPort, "-c", pub.resolve("vane.conf").toString());
            VaneProcess local = VaneProcess.start(house, housePort, houseConfig(housePort, house.resolve("data"),
                    nsAddress, pubPort));
            try {
                MqttClient sub = traffic.subscriber(url(nsAddress, pubPort), "far", far);
                assertThat(remote.awaitOutput(Duration.ofSeconds(15), "New bridge connected")).isTrue();
                traffic.publishThroughFault(url("127.0.0.1", housePort), 2500, 0,
                        () -> requireOk("ip", "link", "set", hostSide, "down"), () -> {
                            try {
                                assertThat(local.awaitOutput(Duration.ofSeconds(30),
                                        "Bridge public lost its connection")).as("the keep-alive found the cut").isTrue();
                            } finally {
                                requireOk("ip", "link", "set", hostSide, "up");
                            }
                            NumberedTraffic.reconnect(sub);
                        });
                assertNothingLost("silent cut (veth down) past the 5 s keep-alive");
                sub.disconnect();
                sub.close();
            } finally {
                local.close();
                remote.close();
            }
        } finally {
            Processes.run(10, "ip", "link", "del", hostSide);
            Processes.run(10, "ip", "netns", "del", ns);
        }
    }

    /**
     * A ring of three Vane brokers, each bridged to the next with {@code topic bridge/# both 2} on 5.0:
     * a message from the first reaches the third by two routes (directly, and through the second) and
     * must arrive once, and nothing goes round for ever.
     */
    @Test
    void aRingOfThreeWithBoth() throws Exception {
        int[] ports = {VaneProcess.freePort(), VaneProcess.freePort(), VaneProcess.freePort()};
        VaneProcess[] ring = new VaneProcess[3];
        try {
            for (int i = 0; i < 3; i++) {
                Path d = folder("ring" + i);
                ring[i] = VaneProcess.start(d, ports[i], "listener " + ports[i] + " 127.0.0.1\nallow_anonymous true\n"
                        + "persistence true\npersistence_location " + d.resolve("data") + "\nmax_queued_messages 100000\n"
                        + "connection next\naddress 127.0.0.1:" + ports[(i + 1) % 3] + "\nrestart_timeout 1\n"
                        + "bridge_protocol_version mqttv50\ntopic bridge/# both 2\n");
            }
            for (VaneProcess v : ring) {
                assertThat(v.awaitOutput(Duration.ofSeconds(20), "Bridge next connected")).isTrue();
            }
            MqttClient sub = traffic.subscriber(url("127.0.0.1", ports[2]), "far", far);
            NumberedTraffic.Received near = traffic.new Received();
            MqttClient nearSub = traffic.subscriber(url("127.0.0.1", ports[0]), "near", near);
            // Each bridge subscribes at its remote after CONNACK: the second broker's log shows both bridges.
            assertThat(ring[1].awaitOutput(Duration.ofSeconds(20), "New bridge connected")).isTrue();
            assertThat(ring[2].awaitOutput(Duration.ofSeconds(20), "New bridge connected")).isTrue();
            traffic.publishPaced(url("127.0.0.1", ports[0]), 1000, RATE, new AtomicInteger(), Duration.ofSeconds(60));
            assertNothingLost("ring of three, both, 5.0");
            assertThat(NumberedTraffic.duplicates(far.q1)).as("one copy by two routes").isEmpty();
            // At the publisher's own broker: its messages came back round the ring and were dropped.
            assertThat(Poll.until(Duration.ofSeconds(30), near::hasEveryAcknowledged)).isTrue();
            assertThat(NumberedTraffic.duplicates(near.q1)).isEmpty();
            assertThat(NumberedTraffic.duplicates(near.q2)).isEmpty();
            sub.disconnect();
            sub.close();
            nearSub.disconnect();
            nearSub.close();
        } finally {
            for (VaneProcess v : ring) {
                if (v != null) {
                    v.close();
                }
            }
        }
    }

    private static void signal(String name, long pid) {
        requireOk("kill", "-" + name, Long.toString(pid));
    }

    private static void requireOk(String... command) {
        Processes.Result r = Processes.run(10, command);
        assertThat(r.exitCode()).as("%s: %s", String.join(" ", command), r.stderr()).isZero();
    }
}
