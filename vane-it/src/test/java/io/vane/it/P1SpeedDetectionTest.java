package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fazecast.jSerialComm.SerialPort;
import io.vane.broker.Broker;
import io.vane.broker.local.LocalClient;
import io.vane.broker.local.LocalClientOptions;
import io.vane.devices.p1.P1Endpoint;
import io.vane.devices.p1.P1Source;
import io.vane.devices.p1.SerialLink;
import io.vane.testkit.Poll;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code dsmr_source NAME serial:/dev/ttyUSB0} without a speed: the source starts at 115200 8N1 and,
 * when no telegram comes for 25 s (what a DSMR 2.2 meter at 9600 7E1 looks like at the wrong speed:
 * noise), tries 9600 7E1, and reads the meter there. A real pseudo-terminal pair from Debian's socat;
 * the source's clock runs ten times fast so the 25 s pass in 2.5.
 */
class P1SpeedDetectionTest {
    private static final Path SOCAT = Path.of("/usr/bin/socat");
    private static final Pattern PTY = Pattern.compile("PTY is (/dev/pts/\\d+)");

    /** Wall time at ten times its speed, from now. */
    private static Clock fast() {
        long start = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneId.systemDefault();
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(start + (System.nanoTime() - startNanos) / 100_000);
            }
        };
    }

    @Test
    void noiseAtTheFirstSpeedThenTelegramsAtTheSecond() throws Exception {
        assumeTrue(Files.isExecutable(SOCAT), "Debian's socat is not installed (apt-get install socat)");
        Process socat = new ProcessBuilder(SOCAT.toString(), "-d", "-d", "pty,raw,echo=0", "pty,raw,echo=0").start();
        try (Broker broker = Broker.withDefaults()) {
            List<String> ptys = ptys(socat);
            List<String> json = Collections.synchronizedList(new ArrayList<>());
            broker.subscribe("dsmr/json", m -> json.add(new String(m.payload(), StandardCharsets.UTF_8)));
            LocalClient client = broker.connectLocal(LocalClientOptions.internal("vane-source-meter"))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            P1Source source = new P1Source("meter", new SerialLink(P1Endpoint.parse("serial:" + ptys.get(0))), "dsmr",
                    0, fast());
            SerialPort meter = SerialPort.getCommPort(ptys.get(1));
            assertThat(meter.openPort()).isTrue();
            try {
                source.start(client);
                Random random = new Random(7);
                byte[] noise = new byte[64];
                boolean switched = Poll.until(Duration.ofSeconds(20), () -> {
                    random.nextBytes(noise);
                    for (int i = 0; i < noise.length; i++) {
                        noise[i] = (byte) (noise[i] == '/' ? 0x55 : noise[i]); // never a telegram's start
                    }
                    meter.writeBytes(noise, noise.length);
                    return source.state().contains("9600 7E1");
                });
                assertThat(switched).as("state: %s", source.state()).isTrue();
                byte[] telegram = Files.readAllBytes(Path.of("..", "vane-devices", "src", "test", "resources", "p1",
                        "dsmr22-iskra-mt382.txt"));
                assertThat(Poll.until(Duration.ofSeconds(15), () -> {
                    meter.writeBytes(telegram, telegram.length);
                    return !json.isEmpty();
                })).as("a telegram read at 9600 7E1; state: %s", source.state()).isTrue();
                assertThat(source.state()).contains("at 9600 7E1");
            } finally {
                source.close();
                meter.closePort();
                client.close();
            }
        } finally {
            socat.destroy();
            if (!socat.waitFor(5, TimeUnit.SECONDS)) {
                socat.destroyForcibly();
            }
        }
    }

    /** The two pty names socat prints on stderr with -d -d; stderr is drained after. */
    private static List<String> ptys(Process socat) throws Exception {
        List<String> names = new ArrayList<>();
        BufferedReader err = new BufferedReader(new InputStreamReader(socat.getErrorStream(), StandardCharsets.UTF_8));
        while (names.size() < 2) {
            String line = err.readLine();
            if (line == null) {
                break;
            }
            Matcher m = PTY.matcher(line);
            if (m.find()) {
                names.add(m.group(1));
            }
        }
        assertThat(names).as("pty names from socat").hasSize(2);
        Thread drain = new Thread(() -> {
            try {
                while (err.readLine() != null) {
                    // discard
                }
            } catch (java.io.IOException e) {
                // socat ended
            }
        }, "socat-stderr");
        drain.setDaemon(true);
        drain.start();
        return names;
    }
}
