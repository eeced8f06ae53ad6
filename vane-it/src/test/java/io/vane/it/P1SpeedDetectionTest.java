package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fazecast.jSerialComm.SerialPort;
import io.vane.broker.Broker;
import io.vane.broker.local.LocalClient;
import io.vane.broker.local.LocalClientOptions;
import io.vane.devices.line.LineEndpoint;
import io.vane.devices.p1.P1Source;
import io.vane.devices.source.SocatPty;
import io.vane.testkit.Poll;
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
import org.junit.jupiter.api.Test;

/**
 * {@code dsmr_source NAME serial:/dev/ttyUSB0} without a speed: the source starts at 115200 8N1 and,
 * when no telegram comes for 25 s (what a DSMR 2.2 meter at 9600 7E1 looks like at the wrong speed:
 * noise), tries 9600 7E1, and reads the meter there. A real pseudo-terminal pair from Debian's socat;
 * the source's clock runs ten times fast so the 25 s pass in 2.5.
 */
class P1SpeedDetectionTest {

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
        assumeTrue(SocatPty.installed(), "Debian's socat is not installed (apt-get install socat)");
        try (SocatPty pty = SocatPty.start(); Broker broker = Broker.withDefaults()) {
            List<String> json = Collections.synchronizedList(new ArrayList<>());
            broker.subscribe("dsmr/json", m -> json.add(new String(m.payload(), StandardCharsets.UTF_8)));
            LocalClient client = broker.connectLocal(LocalClientOptions.internal("vane-source-meter"))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            P1Source source = new P1Source("meter", P1Source.link(LineEndpoint.parse("serial:" + pty.vaneEnd(),
                    baud -> baud == 9600 ? "7E1" : "8N1")), "dsmr",
                    0, fast());
            SerialPort meter = SerialPort.getCommPort(pty.deviceEnd());
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
        }
    }
}
