package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.broker.Message;
import io.vane.it.Clients.Received;
import io.vane.testkit.BrokerFixture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

/** Starting Vane in-process, publishing and subscribing from inside it, and stopping it. */
class EmbeddedApiTest {

    @Test
    void inProcessPublishReachesNetworkClientsAndTheOtherWayRound() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start()) {
            BlockingQueue<Message> inside = new LinkedBlockingQueue<>();
            Runnable cancel = broker.vane().broker().subscribe("embedded/#", inside::add);
            MqttClient paho = Clients.paho(broker, "embedded-paho");
            BlockingQueue<Received> outside = Clients.subscribe(paho, "embedded/out", 1);

            broker.vane().broker().publish("embedded/out", "from inside", 1, false);
            assertThat(outside.poll(5, TimeUnit.SECONDS).payload()).isEqualTo("from inside");

            paho.publish("embedded/in", "from outside".getBytes(StandardCharsets.UTF_8), 1, false);
            Message m;
            do {
                m = inside.poll(5, TimeUnit.SECONDS);
            } while (m != null && !m.topic().equals("embedded/in"));
            assertThat(m).isNotNull();
            assertThat(new String(m.payload(), StandardCharsets.UTF_8)).isEqualTo("from outside");
            assertThat(m.publisherId()).isEqualTo("embedded-paho");

            cancel.run();
            paho.publish("embedded/in", "after".getBytes(StandardCharsets.UTF_8), 0, false);
            assertThat(inside.poll(300, TimeUnit.MILLISECONDS)).isNull();
            paho.disconnect();
        }
    }

    @Test
    void closingStopsTheListener() {
        BrokerFixture broker = BrokerFixture.start();
        int port = broker.port();
        broker.close();
        broker.close(); // idempotent
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            throw new AssertionError("still listening on " + port);
        } catch (java.io.IOException expected) {
            // refused: the listener is gone
        }
    }

    @Test
    void MQTT_5_shutdownSendsServerShuttingDownToConnectedClients() {
        BrokerFixture broker = BrokerFixture.start();
        try (io.vane.testkit.RawClient c = io.vane.testkit.RawClient.open(broker)) {
            c.connect(io.vane.protocol.MqttVersion.V5, "shutdown-watch");
            broker.close();
            io.vane.protocol.packet.MqttPacket p = c.read(java.time.Duration.ofSeconds(5));
            assertThat(((io.vane.protocol.packet.Disconnect) p).reasonCode())
                    .isEqualTo(io.vane.protocol.ReasonCode.SERVER_SHUTTING_DOWN);
        }
    }
}
