package io.vane.it;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.vane.testkit.BrokerFixture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Third-party clients pointed at a broker fixture. */
final class Clients {
    private Clients() {
    }

    /** A received message as Paho saw it. */
    record Received(String topic, String payload, int qos, boolean retained, boolean dup) {
    }

    static org.eclipse.paho.client.mqttv3.MqttClient paho(BrokerFixture b, String id, int mqttVersion, boolean clean)
            throws MqttException {
        org.eclipse.paho.client.mqttv3.MqttClient c =
                new org.eclipse.paho.client.mqttv3.MqttClient(b.uri(), id, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(mqttVersion);
        o.setCleanSession(clean);
        o.setMaxInflight(1000);
        c.connect(o);
        return c;
    }

    static org.eclipse.paho.client.mqttv3.MqttClient paho(BrokerFixture b, String id) throws MqttException {
        return paho(b, id, MqttConnectOptions.MQTT_VERSION_3_1_1, true);
    }

    /** Subscribes and collects what arrives. */
    static BlockingQueue<Received> subscribe(org.eclipse.paho.client.mqttv3.MqttClient c, String filter, int qos)
            throws MqttException {
        BlockingQueue<Received> q = new LinkedBlockingQueue<>();
        c.subscribe(filter, qos, (topic, m) -> q.add(received(topic, m)));
        return q;
    }

    static Received received(String topic, MqttMessage m) {
        return new Received(topic, new String(m.getPayload(), StandardCharsets.UTF_8), m.getQos(), m.isRetained(),
                m.isDuplicate());
    }

    static Mqtt5BlockingClient hive(BrokerFixture b, String id) {
        return MqttClient.builder().useMqttVersion5().identifier(id).serverHost(b.host()).serverPort(b.port())
                .buildBlocking();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
