package io.vane.it.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttMessageListener;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Paho Java (3.1.1) with a {@code ws://} URI: the same behaviour as over TCP. */
class PahoJavaWebSocketTest {
    private WsBroker broker;

    @BeforeEach
    void start() {
        broker = new WsBroker();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private MqttClient client(String uri, String id) throws Exception {
        MqttClient c = new MqttClient(uri, id, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(true);
        // Paho counts a QoS 2 publish as in progress a moment after its synchronous publish() returned
        // (the counter drops on its receiver thread after the token completes), so 20 quick publishes could
        // trip its default limit of 10 ("Too many publishes in progress"): a client-side race, not the
        // broker's. A wider client window removes it; the test still waits for each publish to complete.
        o.setMaxInflight(100);
        c.connect(o);
        return c;
    }

    private static IMqttMessageListener into(BlockingQueue<MqttMessage> q) {
        return (topic, m) -> q.add(m);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void publishAndReceiveOverWebSockets(int qos) throws Exception {
        MqttClient sub = client(broker.wsUri(), "ws-sub-" + qos);
        MqttClient pub = client(broker.wsUri(), "ws-pub-" + qos);
        BlockingQueue<MqttMessage> got = new LinkedBlockingQueue<>();
        sub.subscribe("it/ws/q" + qos, qos, into(got));
        for (int i = 0; i < 20; i++) {
            pub.publish("it/ws/q" + qos, ("m" + i).getBytes(StandardCharsets.UTF_8), qos, false);
        }
        for (int i = 0; i < 20; i++) {
            MqttMessage m = got.poll(5, TimeUnit.SECONDS);
            assertThat(m).as("message %d", i).isNotNull();
            assertThat(new String(m.getPayload(), StandardCharsets.UTF_8)).isEqualTo("m" + i);
            assertThat(m.getQos()).isEqualTo(qos);
        }
        pub.disconnect();
        sub.disconnect();
    }

    @Test
    void tcpAndWebSocketClientsShareOneBroker() throws Exception {
        MqttClient ws = client(broker.wsUri(), "ws-side");
        MqttClient tcp = client(broker.tcpUri(), "tcp-side");
        BlockingQueue<MqttMessage> got = new LinkedBlockingQueue<>();
        ws.subscribe("it/mixed", 1, into(got));
        tcp.publish("it/mixed", "across".getBytes(StandardCharsets.UTF_8), 1, false);
        assertThat(new String(got.poll(5, TimeUnit.SECONDS).getPayload(), StandardCharsets.UTF_8)).isEqualTo("across");
        ws.disconnect();
        tcp.disconnect();
    }

    @Test
    void retainedMessageIsDeliveredOnSubscribe() throws Exception {
        MqttClient pub = client(broker.wsUri(), "ws-retainer");
        pub.publish("it/ws/retained", "kept".getBytes(StandardCharsets.UTF_8), 1, true);
        pub.disconnect();
        MqttClient sub = client(broker.wsUri(), "ws-late");
        BlockingQueue<MqttMessage> got = new LinkedBlockingQueue<>();
        sub.subscribe("it/ws/retained", 1, into(got));
        MqttMessage m = got.poll(5, TimeUnit.SECONDS);
        assertThat(m).isNotNull();
        assertThat(m.isRetained()).isTrue();
        assertThat(new String(m.getPayload(), StandardCharsets.UTF_8)).isEqualTo("kept");
        sub.disconnect();
    }

    @Test
    void willIsPublishedWhenAWebSocketClientVanishes() throws Exception {
        MqttClient watcher = client(broker.tcpUri(), "ws-watcher");
        BlockingQueue<MqttMessage> got = new LinkedBlockingQueue<>();
        watcher.subscribe("it/ws/will", 1, into(got));
        MqttClient mortal = new MqttClient(broker.wsUri(), "ws-mortal", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setWill("it/ws/will", "gone".getBytes(StandardCharsets.UTF_8), 1, false);
        mortal.connect(o);
        // No DISCONNECT packet: the socket just closes, as when a browser tab is killed.
        mortal.disconnectForcibly(0, 100, false);
        MqttMessage m = got.poll(5, TimeUnit.SECONDS);
        assertThat(m).isNotNull();
        assertThat(new String(m.getPayload(), StandardCharsets.UTF_8)).isEqualTo("gone");
        watcher.disconnect();
    }
}
