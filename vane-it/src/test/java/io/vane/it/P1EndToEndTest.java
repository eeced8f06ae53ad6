package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.app.Vane;
import io.vane.app.config.ConfigParser;
import io.vane.testkit.Poll;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The P1 meter as a user sets it up: one {@code dsmr_source} line in the config file, a P1-to-Ethernet
 * converter (played by the test, sending a recorded DSMR 5 telegram five times), and a subscriber. With
 * {@code dsmr_refresh_interval} the one-value topics are change-only: five identical telegrams give five
 * {@code dsmr/json} messages but one of each reading; without it, five of each.
 */
class P1EndToEndTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"0, 5", "3600, 1"})
    void oneConfigLineAndAConverter(int refresh, int readingsExpected) throws Exception {
        byte[] telegram = Files.readAllBytes(Path.of("..", "vane-devices", "src", "test", "resources", "p1",
                "dsmr50-iskra-mt382.txt"));
        int port = VaneProcess.freePort();
        try (ServerSocket converter = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Path conf = dir.resolve("vane.conf");
            Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\ndsmr_source meter tcp:127.0.0.1:"
                    + converter.getLocalPort() + "\ndsmr_refresh_interval " + refresh + "\n");
            try (Vane vane = Vane.start(new ConfigParser().withWorkingDirectory(dir).read(conf))) {
                MqttClient sub = new MqttClient("tcp://127.0.0.1:" + port, "reader", new MemoryPersistence());
                sub.connect();
                List<String> got = Collections.synchronizedList(new ArrayList<>());
                sub.subscribe("dsmr/#", 0, (topic, m) -> got.add(topic + " " + new String(m.getPayload(),
                        StandardCharsets.UTF_8)));
                try (Socket line = converter.accept()) {
                    OutputStream out = line.getOutputStream();
                    for (int i = 0; i < 5; i++) {
                        out.write(telegram);
                        out.flush();
                        int n = i + 1;
                        assertThat(Poll.until(Duration.ofSeconds(10), () -> count(got, "dsmr/json ") >= n))
                                .as("telegram %d published: %s", n, got).isTrue();
                    }
                }
                assertThat(count(got, "dsmr/json ")).isEqualTo(5);
                // The per-field topics of the last telegram follow its dsmr/json message: wait for them too.
                Poll.until(Duration.ofSeconds(10),
                        () -> count(got, "dsmr/reading/electricity_delivered_1 ") >= readingsExpected);
                assertThat(count(got, "dsmr/reading/electricity_delivered_1 ")).isEqualTo(readingsExpected);
                // A copy taken under the list's lock: discovery and state messages may still be arriving.
                List<String> seen;
                synchronized (got) {
                    seen = List.copyOf(got);
                }
                assertThat(seen).contains("dsmr/availability online");
                sub.disconnect();
                sub.close();
            }
        }
    }

    private static long count(List<String> lines, String prefix) {
        synchronized (lines) {
            return lines.stream().filter(l -> l.startsWith(prefix)).count();
        }
    }
}
