package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient.Mqtt5Publishes;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.vane.testkit.MosquittoBroker;
import io.vane.testkit.Poll;
import io.vane.testkit.Processes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user swaps Debian's mosquitto 2.0 for Vane in the same persistence_location: the mosquitto.db that
 * mosquitto wrote at SIGTERM is imported at Vane's first start, so the retained messages are served and the
 * offline sessions (3.1.1 clean session 0 and 5.0 Session Expiry) get their queued messages when they
 * reconnect. A restart does not import again; the file is left as it was. A damaged file does not stop Vane.
 */
class MosquittoImportTest {
    @TempDir
    Path dir;

    private static String vaneConfig(int port, Path data) {
        return "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location " + data
                + "\n";
    }

    /** Runs mosquitto with its state in {@code data}, makes the sessions and messages, stops it with SIGTERM. */
    private static void mosquittoWritesItsState(Path data) throws Exception {
        // As root, mosquitto would drop to user 'mosquitto', who cannot write the test's folder.
        try (MosquittoBroker mosquitto = MosquittoBroker.start(List.of("persistence true",
                "persistence_location " + data + "/", "user " + System.getProperty("user.name")))) {
            String port = String.valueOf(mosquitto.port());
            Processes.Result sub = Processes.run(10, "mosquitto_sub", "-p", port, "-c", "-i", "meter-page", "-q", "1",
                    "-t", "topic/#", "-E");
            assertThat(sub.exitCode()).as(sub.stderr()).isZero();
            Mqtt5BlockingClient page5 = Mqtt5Client.builder().identifier("page5").serverHost("127.0.0.1")
                    .serverPort(mosquitto.port()).buildBlocking();
            // Clean Start 0: Mosquitto 2.0 writes only sessions that did not ask for a clean start.
            page5.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
            page5.subscribeWith().topicFilter("dsmr/#").qos(MqttQos.EXACTLY_ONCE).retainAsPublished(true).send();
            page5.disconnect();

            publish(port, "-r", "-q", "1", "-t", "topic/status", "-m", "online");
            publish(port, "-r", "-q", "0", "-t", "dsmr/availability", "-m", "up");
            for (int i = 1; i <= 3; i++) {
                publish(port, "-q", "1", "-t", "topic/reading", "-m", "m" + i);
            }
            publish(port, "-q", "2", "-t", "dsmr/power", "-m", "p1");
        } // SIGTERM to the pid the fixture started; mosquitto writes mosquitto.db as it exits
    }

    private static void publish(String port, String... args) {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "mosquitto_pub";
        cmd[1] = "-p";
        cmd[2] = port;
        System.arraycopy(args, 0, cmd, 3, args.length);
        Processes.Result r = Processes.run(10, cmd);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
    }

    private static int count(String text, String fragment) {
        Matcher m = Pattern.compile(Pattern.quote(fragment)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void retainedMessagesAndOfflineSessionsComeAcrossFromMosquitto() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        mosquittoWritesItsState(data);
        Path db = data.resolve("mosquitto.db");
        assertThat(db).as("mosquitto writes its state at SIGTERM").exists();
        byte[] written = Files.readAllBytes(db);
        long mtime = Files.getLastModifiedTime(db).toMillis();

        int port = VaneProcess.freePort();
        try (VaneProcess vane = VaneProcess.start(dir, port, vaneConfig(port, data))) {
            assertThat(vane.awaitOutput(Duration.ofSeconds(10), "Restored")).as(vane.output()).isTrue();
            assertThat(vane.output()).contains("Imported Mosquitto's " + db)
                    .contains("2 retained messages, 2 sessions with 2 subscriptions and 5 queued or in-flight messages")
                    .contains("Restored 2 retained messages, 2 sessions and 5 queued or in-flight messages");
            assertThat(vane.output()).doesNotContain("WARN");

            // The retained messages are served to a new subscriber.
            Processes.Result retained = Processes.run(10, "mosquitto_sub", "-p", String.valueOf(port), "-t",
                    "topic/status", "-t", "dsmr/availability", "-C", "2", "-W", "8", "-v");
            assertThat(retained.stdout().lines()).containsExactlyInAnyOrder("topic/status online", "dsmr/availability up");

            // The 3.1.1 session reconnects without subscribing: its queue arrives in order, at QoS 1.
            BlockingQueue<String> got = new LinkedBlockingQueue<>();
            MqttClient paho = new MqttClient("tcp://127.0.0.1:" + port, "meter-page", new MemoryPersistence());
            paho.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    got.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8) + " q"
                            + message.getQos());
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                }
            });
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(false);
            paho.connect(options);
            String[] expected = {"topic/status online q1", "topic/reading m1 q1", "topic/reading m2 q1",
                "topic/reading m3 q1"};
            assertThat(Poll.until(Duration.ofSeconds(10), () -> got.size() >= expected.length)).as("got %s", got).isTrue();
            assertThat(got).containsExactly(expected);
            paho.disconnect();
            paho.close();

            // The 5.0 session: present, and its QoS 2 message comes at QoS 2.
            Mqtt5BlockingClient page5 = Mqtt5Client.builder().identifier("page5").serverHost("127.0.0.1")
                    .serverPort(port).buildBlocking();
            try (Mqtt5Publishes publishes = page5.publishes(MqttGlobalPublishFilter.ALL)) {
                assertThat(page5.connectWith().cleanStart(false).sessionExpiryInterval(3600).send().isSessionPresent())
                        .isTrue();
                Optional<Mqtt5Publish> p = publishes.receive(10, TimeUnit.SECONDS);
                assertThat(p).isPresent();
                assertThat(new String(p.get().getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("p1");
                assertThat(p.get().getQos()).isEqualTo(MqttQos.EXACTLY_ONCE);
                // Its subscription came across too, with Retain As Published: a new retained publish keeps RETAIN.
                publish(String.valueOf(port), "-r", "-q", "1", "-t", "dsmr/availability", "-m", "still up");
                Optional<Mqtt5Publish> live = publishes.receive(10, TimeUnit.SECONDS);
                assertThat(live).isPresent();
                assertThat(live.get().isRetain()).isTrue();
            }
            page5.disconnect();
            assertThat(vane.terminate()).isZero();
        }

        // A restart reads Vane's own store; the meta row says the file was imported, so it is not again.
        try (VaneProcess vane = VaneProcess.start(dir, port, vaneConfig(port, data))) {
            assertThat(Poll.until(Duration.ofSeconds(10), () -> count(vane.output(), "Restored") == 2))
                    .as(vane.output()).isTrue();
            assertThat(count(vane.output(), "Imported Mosquitto's")).isEqualTo(1);
            // Both sessions are back from Vane's own store. How many flows they still hold depends on whether
            // the clients' last PUBACK/PUBCOMP arrived before they disconnected, so the count is not pinned.
            assertThat(vane.output()).containsPattern("Restored 2 retained messages, 2 sessions and \\d+ queued or"
                    + " in-flight");
        }
        assertThat(Files.readAllBytes(db)).as("mosquitto.db is left untouched").isEqualTo(written);
        assertThat(Files.getLastModifiedTime(db).toMillis()).isEqualTo(mtime);
    }

    @Test
    void aDamagedMosquittoDbIsSaidAndVaneStartsWithoutIt() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        mosquittoWritesItsState(data);
        Path db = data.resolve("mosquitto.db");
        byte[] whole = Files.readAllBytes(db);
        Files.write(db, Arrays.copyOf(whole, whole.length - 5)); // cut short, as by a power cut during a save

        int port = VaneProcess.freePort();
        try (VaneProcess vane = VaneProcess.start(dir, port, vaneConfig(port, data))) {
            assertThat(vane.awaitOutput(Duration.ofSeconds(10), "Restored")).as(vane.output()).isTrue();
            assertThat(vane.output()).contains("Mosquitto's " + db + " is damaged").contains("Vane starts without it")
                    .doesNotContain("Imported Mosquitto's")
                    .contains("Restored 0 retained messages, 0 sessions and 0 queued or in-flight messages");
            Processes.Result r = Processes.run(10, "mosquitto_pub", "-p", String.valueOf(port), "-t", "up", "-m", "x");
            assertThat(r.exitCode()).as("Vane serves clients").isZero();
        }
    }
}
