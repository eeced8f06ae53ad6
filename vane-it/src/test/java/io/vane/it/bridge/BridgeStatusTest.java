package io.vane.it.bridge;

import static io.vane.it.bridge.BridgeTestKit.client;
import static io.vane.it.bridge.BridgeTestKit.collect;
import static io.vane.it.bridge.BridgeTestKit.disconnect;
import static io.vane.it.bridge.BridgeTestKit.freePort;
import static io.vane.it.bridge.BridgeTestKit.publish;
import static io.vane.it.bridge.BridgeTestKit.vane;
import static org.assertj.core.api.Assertions.assertThat;

import io.vane.app.Vane;
import io.vane.testkit.MosquittoBroker;
import io.vane.testkit.Poll;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bridge's state and figures in $SYS, /api/status and /metrics, after real traffic across it. */
class BridgeStatusTest {
    @TempDir
    Path dir;

    private static String get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void stateAndCountersEverywhere() throws Exception {
        try (MosquittoBroker remote = MosquittoBroker.start(List.of())) {
            int port = freePort();
            int ws = freePort();
            try (Vane local = vane(dir, "local", "sys_interval 1\nlistener " + port + " 127.0.0.1\nlistener " + ws
                    + " 127.0.0.1\nprotocol websockets\nallow_anonymous true\nconnection house\naddress 127.0.0.1:"
                    + remote.port() + "\ntopic out/# out 1\ntopic in/# in 1\n")) {
                MqttClient here = client(port, "here");
                BridgeTestKit.Collected sys = collect(here, "$SYS/broker/bridges/house/#", 0);
                BridgeTestKit.Collected in = collect(here, "in/#", 1);
                MqttClient there = client(remote.port(), "there");
                assertThat(Poll.until(Duration.ofSeconds(15), () -> {
                    try {
                        publish(there, "in/x", "12345", 1, false);
                    } catch (Exception e) {
                        return false;
                    }
                    return in.lines.contains("in/x 12345");
                })).isTrue();
                publish(here, "out/y", "abc", 1, false);
                assertThat(Poll.until(Duration.ofSeconds(10), () -> local.bridges().get(0).stats().messagesOut() >= 1))
                        .isTrue();

                assertThat(sys.awaitContains("$SYS/broker/bridges/house/state connected")).isTrue();
                assertThat(Poll.until(Duration.ofSeconds(10), () -> sys.lines.contains(
                        "$SYS/broker/bridges/house/messages/sent 1"))).as("%s", sys.snapshot()).isTrue();

                String status = get(ws, "/api/status");
                assertThat(status).contains("\"bridges\":[{\"name\":\"house\",\"state\":\"connected\",\"connects\":1")
                        .contains("\"messagesSent\":1").contains("\"bytesSent\":3").doesNotContain("127.0.0.1:"
                                + remote.port());

                String metrics = get(ws, "/metrics");
                assertThat(metrics).contains("vane_bridge_connected{bridge=\"house\"} 1.0")
                        .contains("vane_bridge_messages_sent_total{bridge=\"house\"} 1.0")
                        .contains("vane_bridge_sent_bytes_total{bridge=\"house\"} 3.0")
                        .contains("vane_bridge_connects_total{bridge=\"house\"} 1.0");
                assertThat(metrics).containsPattern("vane_bridge_messages_received_total\\{bridge=\"house\"\\} [1-9]");
                disconnect(here);
                disconnect(there);
            }
        }
    }
}
