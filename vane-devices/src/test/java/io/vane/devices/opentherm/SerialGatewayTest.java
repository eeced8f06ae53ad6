package io.vane.devices.opentherm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fazecast.jSerialComm.SerialPort;
import io.vane.broker.Broker;
import io.vane.broker.local.LocalClient;
import io.vane.broker.local.LocalClientOptions;
import io.vane.devices.line.LineEndpoint;
import io.vane.devices.source.Await;
import io.vane.devices.source.Recorder;
import io.vane.devices.source.SocatPty;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The gateway on a real serial line: a socat pseudo-terminal pair, the gateway's end opened with
 * jSerialComm at the OTGW's 9600 8N1 and played by {@link FakeGateway}, Vane's end opened by the source
 * from its config text {@code serial:/dev/pts/N}. Frames are read, and a command is written down the
 * same line and its echo and a refusal read back.
 */
class SerialGatewayTest {

    @Test
    void framesAndCommandsOverAPseudoTerminal() throws Exception {
        assumeTrue(SocatPty.installed(), "Debian's socat is not installed (apt-get install socat)");
        try (SocatPty pty = SocatPty.start(); Broker broker = Broker.withDefaults()) {
            Recorder rec = new Recorder(broker, "opentherm/#");
            LocalClient client = broker.connectLocal(LocalClientOptions.internal("vane-source-boiler"))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            LineEndpoint endpoint = LineEndpoint.parse("serial:" + pty.vaneEnd(), baud -> "8N1");
            OpenThermSource source = new OpenThermSource("boiler", OpenThermSource.link(endpoint), "opentherm", 0,
                    Clock.systemDefaultZone());
            SerialPort device = SerialPort.getCommPort(pty.deviceEnd());
            device.setComPortParameters(9600, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
            // Semi-blocking without a timeout: a read returns what has come, waiting for at least a byte.
            device.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 0, 0);
            assertThat(device.openPort()).as("open " + pty.deviceEnd()).isTrue();
            try (FakeGateway gw = new FakeGateway(device.getInputStream(), device.getOutputStream(), 100)) {
                source.start(client);
                gw.start();
                Await.until(Duration.ofSeconds(10), "values from the serial line",
                        () -> rec.last("opentherm/flame").isPresent() && rec.last("opentherm/room_temperature").isPresent());
                assertThat(source.state()).contains(pty.vaneEnd() + " at 9600 8N1");
                broker.publish("opentherm/set/maxmodulation", "80", 1, false);
                broker.publish("opentherm/set/command", "NF=1", 1, false);
                Await.until(Duration.ofSeconds(10), "the echo and the refusal", () -> rec.last(
                        "opentherm/result/maxmodulation").isPresent() && rec.last("opentherm/result/command").isPresent());
                assertThat(rec.last("opentherm/result/maxmodulation").orElseThrow()).contains("\"answer\":\"MM: 80\"");
                assertThat(rec.last("opentherm/result/command").orElseThrow()).contains("\"error\":\"NF\"");
                assertThat(gw.received).containsExactly("MM=80", "NF=1");
                assertThat(rec.payloads("opentherm/gateway/parity_errors")).isEmpty();
            } finally {
                source.close();
                device.closePort();
                client.close();
            }
        }
    }
}
