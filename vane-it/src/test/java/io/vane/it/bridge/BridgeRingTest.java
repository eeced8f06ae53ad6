package io.vane.it.bridge;

import static io.vane.it.bridge.BridgeTestKit.client;
import static io.vane.it.bridge.BridgeTestKit.collect;
import static io.vane.it.bridge.BridgeTestKit.disconnect;
import static io.vane.it.bridge.BridgeTestKit.freePort;
import static io.vane.it.bridge.BridgeTestKit.publish;
import static io.vane.it.bridge.BridgeTestKit.vane;
import static org.assertj.core.api.Assertions.assertThat;

import io.vane.app.Vane;
import io.vane.broker.bridge.BridgeStats;
import io.vane.testkit.Poll;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three brokers in a ring, each bridged to the next with {@code topic ring/# both} (mosquitto #3011:
 * the message goes round for ever). No Local stops the echo between two brokers; the 5.0 {@code vane-via}
 * path stops the ring: every broker's subscriber gets each message once.
 */
class BridgeRingTest {
    @TempDir
    Path dir;

    @Test
    void aRingOfThreeWithBothDeliversEachMessageOnceEverywhere() throws Exception {
        int[] ports = {freePort(), freePort(), freePort()};
        String[] names = {"a", "b", "c"};
        Vane[] brokers = new Vane[3];
        try {
            for (int i = 0; i < 3; i++) {
                int next = ports[(i + 1) % 3];
                brokers[i] = vane(dir, names[i], "listener " + ports[i] + " 127.0.0.1\nallow_anonymous true\n"
                        + "connection " + names[i] + "-to-next\naddress 127.0.0.1:" + next
                        + "\nbridge_protocol_version mqttv50\nrestart_timeout 1\ntopic ring/# both 1\n");
            }
            for (Vane b : brokers) {
                assertThat(Poll.until(Duration.ofSeconds(20), () -> b.bridges().get(0).stats().state()
                        == BridgeStats.State.CONNECTED)).isTrue();
            }
            MqttClient[] clients = new MqttClient[3];
            BridgeTestKit.Collected[] got = new BridgeTestKit.Collected[3];
            for (int i = 0; i < 3; i++) {
                clients[i] = client(ports[i], "reader-" + names[i]);
                got[i] = collect(clients[i], "ring/#", 1);
            }
            // Each bridge subscribes at its remote after CONNACK: probe until a message from a reaches c.
            assertThat(Poll.until(Duration.ofSeconds(20), () -> {
                try {
                    publish(clients[0], "ring/probe", "p", 1, false);
                } catch (Exception e) {
                    return false;
                }
                return got[1].lines.contains("ring/probe p") && got[2].lines.contains("ring/probe p");
            })).isTrue();
            for (int i = 0; i < 3; i++) {
                publish(clients[i], "ring/from-" + names[i], "hello", 1, false);
            }
            for (int i = 0; i < 3; i++) {
                for (String from : names) {
                    assertThat(got[i].awaitContains("ring/from-" + from + " hello")).isTrue();
                }
            }
            // A last round from each broker: once these arrived, any loop would have shown by now.
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 3; i++) {
                    publish(clients[i], "ring/end", names[i] + round, 1, false);
                }
            }
            for (int i = 0; i < 3; i++) {
                int r = i;
                assertThat(Poll.until(Duration.ofSeconds(15), () -> got[r].snapshot().stream()
                        .filter(l -> l.startsWith("ring/end")).count() >= 9)).isTrue();
            }
            for (int i = 0; i < 3; i++) {
                List<String> lines = got[i].snapshot();
                for (String from : names) {
                    assertThat(lines).as("broker %s, message from %s", names[i], from)
                            .filteredOn(l -> l.equals("ring/from-" + from + " hello")).hasSize(1);
                }
                assertThat(lines).filteredOn(l -> l.startsWith("ring/end")).hasSize(9);
            }
            for (MqttClient c : clients) {
                disconnect(c);
            }
        } finally {
            for (Vane b : brokers) {
                BridgeTestKit.quietly(b);
            }
        }
    }
}
