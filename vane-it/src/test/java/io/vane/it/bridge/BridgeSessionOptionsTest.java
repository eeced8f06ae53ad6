package io.vane.it.bridge;

import static io.vane.it.bridge.BridgeTestKit.client;
import static io.vane.it.bridge.BridgeTestKit.collect;
import static io.vane.it.bridge.BridgeTestKit.disconnect;
import static io.vane.it.bridge.BridgeTestKit.freePort;
import static io.vane.it.bridge.BridgeTestKit.publish;
import static io.vane.it.bridge.BridgeTestKit.vane;
import static org.assertj.core.api.Assertions.assertThat;

import io.vane.app.Vane;
import io.vane.broker.bridge.Bridge;
import io.vane.broker.bridge.BridgeStats;
import io.vane.testkit.MosquittoBroker;
import io.vane.testkit.Poll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The session options of a bridge against Debian's mosquitto: cleansession as the remote sees it,
 * local_cleansession across a restart of Vane, QoS 0 and queue_qos0_messages while the remote is down,
 * notifications_local_only, and local_username under the ACL.
 */
class BridgeSessionOptionsTest {
    @TempDir
    Path dir;

    private static boolean connected(Bridge b) {
        return Poll.until(Duration.ofSeconds(20), () -> b.stats().state() == BridgeStats.State.CONNECTED);
    }

    @ParameterizedTest
    @CsvSource({"false, c0", "true, c1"})
    void cleanSessionIsWhatTheRemoteSees(boolean clean, String flag) throws Exception {
        try (MosquittoBroker remote = MosquittoBroker.start(List.of())) {
            int port = freePort();
            try (Vane local = vane(dir, "local", "listener " + port + " 127.0.0.1\nallow_anonymous true\n"
                    + "connection c\naddress 127.0.0.1:" + remote.port() + "\nremote_clientid seen\ncleansession "
                    + clean + "\ntopic x/# out 1\n")) {
                assertThat(connected(local.bridges().get(0))).isTrue();
                assertThat(Poll.until(Duration.ofSeconds(5), () -> remote.log().contains("as seen (p2, " + flag)))
                        .as("%s", remote.log()).isTrue();
            }
        }
    }

    /**
     * local_cleansession false (the default): what waits for the remote survives a restart of Vane;
     * true: the bridge's session here starts empty.
     */
    @ParameterizedTest
    @CsvSource({"false, 10", "true, 0"})
    void localCleanSessionDecidesWhetherTheQueueSurvivesARestart(boolean localClean, int expected) throws Exception {
        int remotePort = freePort();
        int port = freePort();
        String config = "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location "
                + dir.resolve("data") + "\nconnection c\naddress 127.0.0.1:" + remotePort + "\nrestart_timeout 1\n"
                + "local_cleansession " + localClean + "\ntopic q/# out 1\n";
        try (Vane local = vane(dir, "local", config)) {
            MqttClient sensor = client(port, "sensor");
            for (int i = 0; i < 10; i++) {
                publish(sensor, "q/n", Integer.toString(i), 1, false);
            }
            disconnect(sensor);
        }
        Path rdir = Files.createDirectories(dir.resolve("remote"));
        try (MosquittoBroker remote = MosquittoBroker.start(remotePort, rdir, List.of());
                Vane local = vane(dir, "local", config)) {
            Bridge b = local.bridges().get(0);
            assertThat(connected(b)).isTrue();
            MqttClient reader = client(remotePort, "reader");
            BridgeTestKit.Collected got = collect(reader, "q/#", 1);
            MqttClient sensor = client(port, "sensor");
            publish(sensor, "q/n", "live", 1, false);
            assertThat(got.awaitContains("q/n live")).isTrue();
            assertThat(b.stats().messagesOut()).as("messages sent after the restart, the live one included")
                    .isEqualTo(expected + 1);
            disconnect(sensor);
            disconnect(reader);
        }
    }

    @ParameterizedTest
    @CsvSource({"false, 0", "true, 5"})
    void qos0WaitsForADownRemoteOnlyWithQueueQos0Messages(boolean queueQos0, int expected) throws Exception {
        int remotePort = freePort();
        int port = freePort();
        try (Vane local = vane(dir, "local", "listener " + port + " 127.0.0.1\nallow_anonymous true\n"
                + "queue_qos0_messages " + queueQos0 + "\nconnection c\naddress 127.0.0.1:" + remotePort
                + "\nrestart_timeout 1\ntopic q/# out 1\n")) {
            MqttClient sensor = client(port, "sensor");
            for (int i = 0; i < 5; i++) {
                publish(sensor, "q/n", Integer.toString(i), 0, false);
            }
            Path rdir = Files.createDirectories(dir.resolve("remote"));
            try (MosquittoBroker remote = MosquittoBroker.start(remotePort, rdir, List.of())) {
                Bridge b = local.bridges().get(0);
                assertThat(connected(b)).isTrue();
                MqttClient reader = client(remotePort, "reader");
                BridgeTestKit.Collected got = collect(reader, "q/#", 1);
                publish(sensor, "q/n", "live", 1, false);
                assertThat(got.awaitContains("q/n live")).isTrue();
                assertThat(b.stats().messagesOut()).isEqualTo(expected + 1);
                disconnect(reader);
            }
            disconnect(sensor);
        }
    }

    @Test
    void notificationsLocalOnlyKeepTheStateHere() throws Exception {
        try (MosquittoBroker remote = MosquittoBroker.start(List.of())) {
            int port = freePort();
            try (Vane local = vane(dir, "local", "listener " + port + " 127.0.0.1\nallow_anonymous true\n"
                    + "connection c\naddress 127.0.0.1:" + remote.port() + "\nremote_clientid quiet\n"
                    + "notifications_local_only true\ntopic x/# out 1\n")) {
                MqttClient here = client(port, "here");
                BridgeTestKit.Collected localState = collect(here, "$SYS/broker/connection/#", 1);
                assertThat(localState.awaitContains("$SYS/broker/connection/quiet/state 1")).isTrue();
                // A retained state would reach a new subscriber before anything published after it subscribed.
                MqttClient there = client(remote.port(), "there");
                BridgeTestKit.Collected remoteState = collect(there, "#", 1);
                BridgeTestKit.Collected sys = collect(there, "$SYS/broker/connection/#", 1);
                publish(there, "marker", "m", 1, false);
                assertThat(remoteState.awaitContains("marker m")).isTrue();
                assertThat(sys.snapshot()).isEmpty();
                disconnect(here);
                disconnect(there);
            }
        }
    }

    @Test
    void localUsernameFollowsTheAcl() throws Exception {
        Path acl = dir.resolve("acl");
        Files.writeString(acl, "topic read in/#\n\nuser bridge\ntopic write in/allowed/#\n");
        try (MosquittoBroker remote = MosquittoBroker.start(List.of())) {
            int port = freePort();
            try (Vane local = vane(dir, "local", "listener " + port + " 127.0.0.1\nallow_anonymous true\nacl_file "
                    + acl + "\nconnection c\naddress 127.0.0.1:" + remote.port() + "\nlocal_username bridge\n"
                    + "topic # in 1 in/ \"\"\n")) {
                assertThat(connected(local.bridges().get(0))).isTrue();
                MqttClient here = client(port, "here");
                BridgeTestKit.Collected got = collect(here, "in/#", 1);
                MqttClient there = client(remote.port(), "there");
                assertThat(Poll.until(Duration.ofSeconds(15), () -> {
                    try {
                        publish(there, "allowed/probe", "p", 1, false);
                    } catch (Exception e) {
                        return false;
                    }
                    return got.lines.contains("in/allowed/probe p");
                })).isTrue();
                publish(there, "denied/x", "no", 1, false);
                publish(there, "allowed/end", "e", 1, false);
                assertThat(got.awaitContains("in/allowed/end e")).isTrue();
                assertThat(got.snapshot()).noneMatch(l -> l.startsWith("in/denied"));
                disconnect(here);
                disconnect(there);
            }
        }
    }
}
