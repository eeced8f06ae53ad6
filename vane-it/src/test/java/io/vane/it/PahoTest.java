package io.vane.it;

import static io.vane.it.Clients.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.vane.it.Clients.Received;
import io.vane.testkit.BrokerFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Eclipse Paho Java (MQTT 3.1.1 and 3.1) against Vane. */
class PahoTest {
    static BrokerFixture broker;

    @BeforeAll
    static void start() {
        broker = BrokerFixture.start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void qos0And1And2RoundTrip() throws Exception {
        MqttClient sub = Clients.paho(broker, "paho-sub");
        MqttClient pub = Clients.paho(broker, "paho-pub");
        BlockingQueue<Received> got = Clients.subscribe(sub, "paho/qos/#", 2);
        for (int qos = 0; qos <= 2; qos++) {
            pub.publish("paho/qos/" + qos, bytes("m" + qos), qos, false);
            Received r = got.poll(5, TimeUnit.SECONDS);
            assertThat(r).isEqualTo(new Received("paho/qos/" + qos, "m" + qos, qos, false, false));
        }
        pub.disconnect();
        sub.disconnect();
    }

    @Test
    void deliveredQosIsTheMinimumOfPublishedAndGranted() throws Exception {
        MqttClient sub = Clients.paho(broker, "paho-min");
        BlockingQueue<Received> got = Clients.subscribe(sub, "paho/min", 1);
        MqttClient pub = Clients.paho(broker, "paho-min-pub");
        pub.publish("paho/min", bytes("x"), 2, false);
        assertThat(got.poll(5, TimeUnit.SECONDS).qos()).isEqualTo(1);
        pub.disconnect();
        sub.disconnect();
    }

    @Test
    void thousandQos1MessagesArriveInOrder() throws Exception {
        MqttClient sub = Clients.paho(broker, "paho-order-sub");
        BlockingQueue<Received> got = Clients.subscribe(sub, "paho/order", 1);
        MqttClient pub = Clients.paho(broker, "paho-order-pub");
        for (int i = 0; i < 1000; i++) {
            pub.publish("paho/order", bytes(Integer.toString(i)), 1, false);
        }
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Received r = got.poll(10, TimeUnit.SECONDS);
            assertThat(r).as("message %d", i).isNotNull();
            payloads.add(r.payload());
        }
        for (int i = 0; i < 1000; i++) {
            assertThat(payloads.get(i)).isEqualTo(Integer.toString(i));
        }
        pub.disconnect();
        sub.disconnect();
    }

    @Test
    void retainedMessageIsSetReplacedAndCleared() throws Exception {
        MqttClient pub = Clients.paho(broker, "paho-ret-pub");
        pub.publish("paho/retained", bytes("first"), 1, true);
        pub.publish("paho/retained", bytes("second"), 1, true);
        MqttClient sub = Clients.paho(broker, "paho-ret-sub");
        BlockingQueue<Received> got = Clients.subscribe(sub, "paho/retained", 1);
        assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo(new Received("paho/retained", "second", 1, true, false));
        // A live message is forwarded with RETAIN 0 [MQTT-3.3.1-9].
        pub.publish("paho/retained", bytes("live"), 1, true);
        assertThat(got.poll(5, TimeUnit.SECONDS).retained()).isFalse();
        pub.publish("paho/retained", new byte[0], 1, true);
        got.poll(5, TimeUnit.SECONDS); // the clearing message itself is forwarded
        sub.disconnect();
        MqttClient late = Clients.paho(broker, "paho-ret-late");
        BlockingQueue<Received> none = Clients.subscribe(late, "paho/retained", 1);
        assertThat(none.poll(300, TimeUnit.MILLISECONDS)).as("cleared [MQTT-3.3.1-10]").isNull();
        late.disconnect();
        pub.disconnect();
    }

    @Test
    void persistentSessionGetsQueuedMessagesOnReconnect() throws Exception {
        MqttClient sub = Clients.paho(broker, "paho-persist", MqttConnectOptions.MQTT_VERSION_3_1_1, false);
        sub.subscribe("paho/persist", 1);
        sub.disconnect();
        sub.close();
        MqttClient pub = Clients.paho(broker, "paho-persist-pub");
        for (int i = 0; i < 5; i++) {
            pub.publish("paho/persist", bytes("q" + i), 1, false);
        }
        MqttClient again = new MqttClient(broker.uri(), "paho-persist",
                new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
        java.util.concurrent.LinkedBlockingQueue<Received> got = new java.util.concurrent.LinkedBlockingQueue<>();
        again.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
                got.add(Clients.received(topic, message));
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(false);
        again.connect(o);
        for (int i = 0; i < 5; i++) {
            assertThat(got.poll(5, TimeUnit.SECONDS).payload()).isEqualTo("q" + i);
        }
        again.disconnect();
        pub.disconnect();
    }

    @Test
    void mqtt31ClientsConnect() throws Exception {
        MqttClient c = Clients.paho(broker, "paho-v31", MqttConnectOptions.MQTT_VERSION_3_1, true);
        BlockingQueue<Received> got = Clients.subscribe(c, "paho/v31", 1);
        c.publish("paho/v31", bytes("old"), 1, false);
        assertThat(got.poll(5, TimeUnit.SECONDS).payload()).isEqualTo("old");
        c.disconnect();
    }

    @Test
    void willIsPublishedWhenTheConnectionDropsAndNotOnDisconnect() throws Exception {
        MqttClient watcher = Clients.paho(broker, "paho-will-watch");
        BlockingQueue<Received> wills = Clients.subscribe(watcher, "paho/will/#", 1);
        MqttClient polite = new MqttClient(broker.uri(), "paho-polite", new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setWill("paho/will/polite", bytes("gone"), 1, false);
        polite.connect(o);
        polite.disconnect();
        assertThat(wills.poll(500, TimeUnit.MILLISECONDS)).as("no will on DISCONNECT [MQTT-3.14.4-3]").isNull();

        try (io.vane.testkit.RawClient raw = io.vane.testkit.RawClient.open(broker)) {
            raw.send(new io.vane.protocol.packet.Connect(io.vane.protocol.MqttVersion.V3_1_1, "raw-will", true, 60,
                    null, null, new io.vane.protocol.packet.Will("paho/will/raw", bytes("dropped"), 1, true,
                            io.vane.protocol.Properties.NONE), io.vane.protocol.Properties.NONE));
            assertThat(raw.read(java.time.Duration.ofSeconds(5))).isInstanceOf(io.vane.protocol.packet.ConnAck.class);
        }
        Received will = wills.poll(5, TimeUnit.SECONDS);
        assertThat(will.topic()).isEqualTo("paho/will/raw");
        assertThat(will.payload()).isEqualTo("dropped");
        MqttClient late = Clients.paho(broker, "paho-will-late");
        BlockingQueue<Received> retained = Clients.subscribe(late, "paho/will/raw", 1);
        assertThat(retained.poll(5, TimeUnit.SECONDS).retained()).as("will retain").isTrue();
        late.disconnect();
        watcher.disconnect();
    }
}
