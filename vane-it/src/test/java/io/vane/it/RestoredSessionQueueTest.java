package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.testkit.Poll;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * [MQTT-3.1.2-5]: a session with clean session 0 keeps receiving the QoS 1 and 2 messages that match its
 * subscriptions while its client is away, also when the broker restarted in between and the session came
 * back from the store. Found by PowerCutTest: the restored session had no client identity, so the ACL let
 * no delivery through while the publisher got every PUBACK (fixed in RestoredSessions).
 */
class RestoredSessionQueueTest {
    @TempDir
    Path dir;

    @Test
    void aRestoredOfflineSessionQueuesWhatIsPublishedForIt() throws Exception {
        int port = VaneProcess.freePort();
        String url = "tcp://127.0.0.1:" + port;
        VaneProcess vane = VaneProcess.start(dir, port, "listener " + port + " 127.0.0.1\nallow_anonymous true\n"
                + "persistence true\npersistence_location " + dir.resolve("data") + "\n");
        MqttConnectOptions persistent = new MqttConnectOptions();
        persistent.setCleanSession(false);
        Set<String> got = ConcurrentHashMap.newKeySet();
        MqttClient sub = new MqttClient(url, "away", new MemoryPersistence());
        try {
            sub.connect(persistent);
            sub.subscribe("restored/t", 1);
            sub.disconnect();
            assertThat(vane.terminate()).isZero();
            vane = VaneProcess.run(dir, port, "-c", dir.resolve("vane.conf").toString());

            MqttClient pub = new MqttClient(url, "pub", new MemoryPersistence());
            pub.connect();
            for (int i = 0; i < 20; i++) {
                pub.publish("restored/t", Integer.toString(i).getBytes(), 1, false); // returns after PUBACK
            }
            pub.disconnect();
            pub.close();

            sub.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                }

                @Override
                public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage m) {
                    got.add(new String(m.getPayload()));
                }

                @Override
                public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
                }
            });
            sub.connect(persistent);
            assertThat(Poll.until(Duration.ofSeconds(10), () -> got.size() == 20))
                    .as("all 20 acknowledged messages reach the restored session; got %s", got).isTrue();
        } finally {
            try {
                if (sub.isConnected()) {
                    sub.disconnectForcibly(0, 0, false);
                }
                sub.close();
            } finally {
                vane.close(); // even when the client's close fails: no Vane outlives the test
            }
        }
    }
}
