package io.vane.it.bridge;

import static io.vane.it.bridge.BridgeTestKit.client;
import static io.vane.it.bridge.BridgeTestKit.collect;
import static io.vane.it.bridge.BridgeTestKit.disconnect;
import static io.vane.it.bridge.BridgeTestKit.freePort;
import static io.vane.it.bridge.BridgeTestKit.publish;
import static io.vane.it.bridge.BridgeTestKit.quietly;
import static io.vane.it.bridge.BridgeTestKit.vane;
import static org.assertj.core.api.Assertions.assertThat;

import io.vane.app.Vane;
import io.vane.broker.bridge.Bridge;
import io.vane.broker.bridge.BridgeStats;
import io.vane.testkit.Poll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a bridge connects and to where: failover and back, start_type lazy and once, reload on SIGHUP. */
class BridgeLifecycleTest {
    @TempDir
    Path dir;

    private static String plain(int port) {
        return "listener " + port + " 127.0.0.1\nallow_anonymous true\n";
    }

    private static boolean state(Bridge b, BridgeStats.State s, int seconds) {
        return Poll.until(Duration.ofSeconds(seconds), () -> b.stats().state() == s);
    }

    @Test
    void failsOverToTheSecondAddressAndGoesBackToTheFirstWhenItAnswers() throws Exception {
        int first = freePort();
        int second = freePort();
        int port = freePort();
        Vane primary = null;
        try (Vane backup = vane(dir, "backup", plain(second));
                Vane local = vane(dir, "local", plain(port) + "connection up\naddresses 127.0.0.1:" + first
                        + " 127.0.0.1:" + second + "\nrestart_timeout 1\ntopic x/# out 1\n")) {
            Bridge b = local.bridges().get(0);
            assertThat(state(b, BridgeStats.State.CONNECTED, 20)).isTrue();
            assertThat(b.stats().address()).isEqualTo("127.0.0.1:" + second);
            primary = vane(dir, "primary", plain(first));
            assertThat(Poll.until(Duration.ofSeconds(30), () -> b.stats().address().equals("127.0.0.1:" + first)
                    && b.stats().state() == BridgeStats.State.CONNECTED)).as("back on the first address").isTrue();
        } finally {
            quietly(primary);
        }
    }

    @Test
    void roundRobinMovesOnAfterALoss() throws Exception {
        int a = freePort();
        int c = freePort();
        int port = freePort();
        Vane first = vane(dir, "a", plain(a));
        try (Vane second = vane(dir, "c", plain(c));
                Vane local = vane(dir, "local", plain(port) + "connection up\naddresses 127.0.0.1:" + a
                        + " 127.0.0.1:" + c + "\nround_robin true\nrestart_timeout 1\ntopic x/# out 1\n")) {
            Bridge b = local.bridges().get(0);
            assertThat(state(b, BridgeStats.State.CONNECTED, 20)).isTrue();
            assertThat(b.stats().address()).isEqualTo("127.0.0.1:" + a);
            first.close();
            first = vane(dir, "a", plain(a)); // back at once: round robin still moves on
            assertThat(Poll.until(Duration.ofSeconds(20), () -> b.stats().address().equals("127.0.0.1:" + c)
                    && b.stats().state() == BridgeStats.State.CONNECTED)).isTrue();
        } finally {
            quietly(first);
        }
    }

    @Test
    void lazyConnectsAtTheThresholdAndLeavesWhenIdle() throws Exception {
        int remotePort = freePort();
        int port = freePort();
        try (Vane remote = vane(dir, "remote", plain(remotePort));
                Vane local = vane(dir, "local", plain(port) + "connection lazy\naddress 127.0.0.1:" + remotePort
                        + "\nstart_type lazy\nthreshold 5\nidle_timeout 1\nkeepalive_interval 5\ntopic x/# out 1\n")) {
            Bridge b = local.bridges().get(0);
            MqttClient reader = client(remotePort, "reader");
            BridgeTestKit.Collected got = collect(reader, "x/#", 1);
            MqttClient sensor = client(port, "sensor");
            for (int i = 0; i < 4; i++) {
                publish(sensor, "x/n", Integer.toString(i), 1, false);
            }
            // Four wait; the bridge has not connected (its check runs every second).
            assertThat(Poll.until(Duration.ofSeconds(3), () -> b.stats().connects() > 0)).isFalse();
            publish(sensor, "x/n", "4", 1, false);
            assertThat(state(b, BridgeStats.State.CONNECTED, 10)).isTrue();
            assertThat(got.awaitSize(5)).isTrue();
            assertThat(got.snapshot()).containsExactly("x/n 0", "x/n 1", "x/n 2", "x/n 3", "x/n 4");
            assertThat(state(b, BridgeStats.State.DISCONNECTED, 20)).as("idle: disconnected").isTrue();
            disconnect(sensor);
            disconnect(reader);
        }
    }

    @Test
    void onceDoesNotReconnect() throws Exception {
        int remotePort = freePort();
        int port = freePort();
        Vane remote = vane(dir, "remote", plain(remotePort));
        try (Vane local = vane(dir, "local", plain(port) + "connection once\naddress 127.0.0.1:" + remotePort
                + "\nstart_type once\nrestart_timeout 1\ntopic x/# out 1\n")) {
            Bridge b = local.bridges().get(0);
            assertThat(state(b, BridgeStats.State.CONNECTED, 20)).isTrue();
            remote.close();
            assertThat(state(b, BridgeStats.State.STOPPED, 20)).isTrue();
            remote = vane(dir, "remote", plain(remotePort));
            assertThat(Poll.until(Duration.ofSeconds(3), () -> b.stats().connects() > 1)).isFalse();
        } finally {
            quietly(remote);
        }
    }

    @Test
    void reloadRestartsAChangedBridgeAndLeavesOthersAlone() throws Exception {
        int remotePort = freePort();
        int port = freePort();
        try (Vane remote = vane(dir, "remote", plain(remotePort))) {
            String head = plain(port) + "connection steady\naddress 127.0.0.1:" + remotePort + "\ntopic s/# out 1\n"
                    + "connection changing\naddress 127.0.0.1:" + remotePort + "\nbridge_reload_type immediate\n";
            try (Vane local = vane(dir, "local", head + "topic a/# out 1\n")) {
                Bridge steady = local.bridges().get(0);
                assertThat(state(steady, BridgeStats.State.CONNECTED, 20)).isTrue();
                assertThat(state(local.bridges().get(1), BridgeStats.State.CONNECTED, 20)).isTrue();
                Files.writeString(dir.resolve("local.conf"), head + "topic b/# out 1\n");
                assertThat(local.reloadBridges()).isNull();
                assertThat(local.bridges()).hasSize(2).contains(steady);
                Bridge changed = local.bridges().get(1);
                assertThat(changed.settings().topics().get(0).pattern()).isEqualTo("b/#");
                assertThat(state(changed, BridgeStats.State.CONNECTED, 20)).isTrue();
                assertThat(steady.stats().connects()).as("the unchanged bridge was not touched").isEqualTo(1);

                MqttClient reader = client(remotePort, "reader");
                BridgeTestKit.Collected got = collect(reader, "#", 1);
                MqttClient sensor = client(port, "sensor");
                publish(sensor, "a/x", "old", 1, false);
                publish(sensor, "b/x", "new", 1, false);
                assertThat(got.awaitContains("b/x new")).isTrue();
                assertThat(got.snapshot()).doesNotContain("a/x old");

                Files.writeString(dir.resolve("local.conf"), "nonsense_option 1\n");
                assertThat(local.reloadBridges()).contains("unknown option 'nonsense_option'");
                assertThat(local.bridges()).hasSize(2);
                disconnect(sensor);
                disconnect(reader);
            }
        }
    }

    @Test
    void aLazyReloadWaitsForTheConnectionToEnd() throws Exception {
        int remotePort = freePort();
        int port = freePort();
        Vane remote = vane(dir, "remote", plain(remotePort));
        String head = plain(port) + "connection c\naddress 127.0.0.1:" + remotePort + "\nrestart_timeout 1\n";
        try (Vane local = vane(dir, "local", head + "topic a/# out 1\n")) {
            Bridge old = local.bridges().get(0);
            assertThat(state(old, BridgeStats.State.CONNECTED, 20)).isTrue();
            Files.writeString(dir.resolve("local.conf"), head + "topic b/# out 1\n");
            assertThat(local.reloadBridges()).isNull();
            assertThat(local.bridges()).containsExactly(old);
            remote.close();
            remote = vane(dir, "remote", plain(remotePort));
            assertThat(Poll.until(Duration.ofSeconds(20), () -> local.bridges().size() == 1
                    && local.bridges().get(0) != old
                    && local.bridges().get(0).stats().state() == BridgeStats.State.CONNECTED)).isTrue();
            assertThat(local.bridges().get(0).settings().topics().get(0).pattern()).isEqualTo("b/#");
        } finally {
            quietly(remote);
        }
    }
}
