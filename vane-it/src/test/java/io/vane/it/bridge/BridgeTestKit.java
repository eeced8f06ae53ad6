package io.vane.it.bridge;

import io.vane.app.Vane;
import io.vane.app.config.ConfigParser;
import io.vane.testkit.Poll;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** What the bridge tests share: Vane in this process from a config text, and Paho clients that collect. */
final class BridgeTestKit {
    private BridgeTestKit() {
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Vane started in this process from {@code config}, written to {@code dir/name.conf}. */
    static Vane vane(Path dir, String name, String config) throws Exception {
        Path conf = dir.resolve(name + ".conf");
        Files.writeString(conf, config, StandardCharsets.UTF_8);
        return Vane.start(new ConfigParser().withWorkingDirectory(dir).read(conf));
    }

    static String url(int port) {
        return "tcp://127.0.0.1:" + port;
    }

    /** A connected Paho 3.1.1 client with a clean session. */
    static MqttClient client(int port, String id) throws MqttException {
        MqttClient c = new MqttClient(url(port), id, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMaxInflight(1000);
        c.connect(o);
        return c;
    }

    /** Messages as {@code topic payload}, in arrival order. */
    static final class Collected {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        boolean awaitContains(String line) {
            return Poll.until(Duration.ofSeconds(15), () -> lines.contains(line));
        }

        boolean awaitSize(int n) {
            return Poll.until(Duration.ofSeconds(20), () -> lines.size() >= n);
        }

        List<String> snapshot() {
            synchronized (lines) {
                return new ArrayList<>(lines);
            }
        }
    }

    /** Subscribes {@code c} to {@code filter} at {@code qos}, collecting {@code topic payload} lines. */
    static Collected collect(MqttClient c, String filter, int qos) throws MqttException {
        Collected got = new Collected();
        c.subscribe(filter, qos, (topic, m) -> got.lines.add(topic + " "
                + new String(m.getPayload(), StandardCharsets.UTF_8)));
        return got;
    }

    static void publish(MqttClient c, String topic, String payload, int qos, boolean retain) throws MqttException {
        c.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain);
    }

    static void quietly(AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception e) {
            // a test's clean-up must not hide its result
        }
    }

    static void disconnect(MqttClient c) {
        try {
            if (c.isConnected()) {
                c.disconnect(1000);
            }
            c.close();
        } catch (MqttException e) {
            // as above
        }
    }
}
