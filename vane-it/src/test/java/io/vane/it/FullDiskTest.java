package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import io.vane.testkit.Poll;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up (here: the process's file size limit, RLIMIT_FSIZE, set with {@code prlimit}):
 * Vane stops acknowledging QoS 1 — a 5.0 publisher reads PUBACK 0x80 — instead of acknowledging and
 * losing, keeps running, and acknowledges again by itself once there is room; every message it did
 * acknowledge is delivered after a restart.
 */
class FullDiskTest {
    private static final int PAYLOAD = 10_000;

    @TempDir
    Path dir;

    @Test
    void aFullDiskStopsAcknowledgementsAndTheyResumeWhenSpaceReturns() throws Exception {
        assertThat(Path.of("/usr/bin/prlimit")).as("prlimit (util-linux) sets the file size limit").exists();
        int port = VaneProcess.freePort();
        Path conf = dir.resolve("vane.conf");
        // Quiet logs: the limit applies to every file the process writes, its log included.
        Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence true\n"
                + "persistence_location " + dir.resolve("data") + "\nmax_queued_messages 100000\n"
                + "max_queued_bytes 0\nconnection_messages false\n");
        String url = "tcp://127.0.0.1:" + port;
        Set<String> acked = ConcurrentHashMap.newKeySet();
        // The soft limit only, so the process may raise it again (the hard one needs CAP_SYS_RESOURCE).
        VaneProcess vane = VaneProcess.runUnder(List.of("/usr/bin/prlimit", "--fsize=3000000:unlimited"), dir, port,
                "-c", conf.toString());
        try {
            MqttClient sub = new MqttClient(url, "offline-meter-page", new MemoryPersistence());
            MqttConnectOptions persistent = new MqttConnectOptions();
            persistent.setCleanSession(false);
            sub.connect(persistent);
            sub.subscribe("disk/#", 1);
            sub.disconnect();
            sub.close();

            Mqtt5BlockingClient pub = Mqtt5Client.builder().identifier("meter").serverHost("127.0.0.1")
                    .serverPort(port).buildBlocking();
            pub.connect();
            int refusedAt = -1;
            for (int i = 0; i < 2_000 && refusedAt < 0; i++) {
                if (publish(pub, i)) {
                    acked.add(Integer.toString(i));
                } else {
                    refusedAt = i;
                }
            }
            assertThat(refusedAt).as("a PUBACK with 0x80 once the store cannot grow").isPositive();
            assertThat(vane.isAlive()).isTrue();
            assertThat(vane.awaitOutput(Duration.ofSeconds(10), "not acknowledged until it works again")).isTrue();

            // Room again: acknowledgements resume by themselves (the store retries every second).
            Process raise = new ProcessBuilder("/usr/bin/prlimit", "--pid", Long.toString(vane.pid()),
                    "--fsize=unlimited:unlimited").inheritIO().start();
            assertThat(raise.waitFor()).isZero();
            int[] next = {refusedAt + 1};
            boolean resumed = Poll.until(Duration.ofSeconds(20), () -> {
                int n = next[0]++;
                if (publish(pub, n)) {
                    acked.add(Integer.toString(n));
                    return true;
                }
                return false;
            });
            assertThat(resumed).as("acknowledgements resume when space returns").isTrue();
            assertThat(vane.awaitOutput(Duration.ofSeconds(10), "works again; acknowledgements resume")).isTrue();
            pub.disconnect();
            assertThat(vane.terminate()).isZero();
        } finally {
            vane.close();
        }

        // Every acknowledged message is there after a restart without the limit.
        vane = VaneProcess.run(dir, port, "-c", conf.toString());
        try {
            Set<String> got = ConcurrentHashMap.newKeySet();
            MqttClient sub = new MqttClient(url, "offline-meter-page", new MemoryPersistence());
            sub.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                }

                @Override
                public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage m) {
                    got.add(new String(m.getPayload(), 0, 8, StandardCharsets.US_ASCII).trim());
                }

                @Override
                public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
                }
            });
            MqttConnectOptions persistent = new MqttConnectOptions();
            persistent.setCleanSession(false);
            persistent.setMaxInflight(1000);
            sub.connect(persistent);
            assertThat(Poll.until(Duration.ofSeconds(30), () -> got.containsAll(acked)))
                    .as("%d acknowledged, %d delivered after the restart", acked.size(), got.size()).isTrue();
            sub.disconnect();
            sub.close();
        } finally {
            vane.close();
        }
    }

    /** One QoS 1 message numbered {@code n} (its first 8 bytes); true when PUBACK said success. */
    private static boolean publish(Mqtt5BlockingClient pub, int n) {
        byte[] payload = new byte[PAYLOAD];
        java.util.Arrays.fill(payload, (byte) ' ');
        byte[] number = Integer.toString(n).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(number, 0, payload, 0, number.length);
        try {
            pub.publishWith().topic("disk/power").qos(MqttQos.AT_LEAST_ONCE).payload(payload).send();
            return true;
        } catch (Mqtt5PubAckException refused) {
            assertThat(refused.getMqttMessage().getReasonCode().getCode()).isEqualTo(0x80);
            return false;
        }
    }
}
