package io.vane.devices.p1;

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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A real serial line: a pseudo-terminal pair made by Debian's socat, the meter's end written through
 * jSerialComm in small bursts with pauses, as a P1 cable delivers, and Vane's SerialLink on the other
 * end at the meter's speed and framing. socat is started here and stopped through its Process.
 */
class SerialLineTest {
    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({"dsmr50-iskra-mt382.txt, 115200, 8N1", "dsmr22-iskra-mt382.txt, 9600, 7E1"})
    void telegramsWrittenWithPausesArePublished(String fixture, int baud, String framing) throws Exception {
        assumeTrue(SocatPty.installed(), "Debian's socat is not installed (apt-get install socat)");
        try (SocatPty pty = SocatPty.start(); Broker broker = Broker.withDefaults()) {
            List<String> ptys = List.of(pty.vaneEnd(), pty.deviceEnd());
            Recorder rec = new Recorder(broker, "dsmr/#");
            LocalClient client = broker.connectLocal(LocalClientOptions.internal("vane-source-meter"))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            LineEndpoint endpoint = LineEndpoint.parse("serial:" + ptys.get(0) + "," + baud + "," + framing,
                    P1Source.FRAMING);
            P1Source source = new P1Source("meter", P1Source.link(endpoint), "dsmr", 0, Clock.systemDefaultZone());
            SerialPort meter = SerialPort.getCommPort(ptys.get(1));
            meter.setComPortParameters(baud, framing.charAt(0) - '0', SerialPort.ONE_STOP_BIT,
                    framing.charAt(1) == 'E' ? SerialPort.EVEN_PARITY : SerialPort.NO_PARITY);
            assertThat(meter.openPort()).as("open " + ptys.get(1)).isTrue();
            try {
                source.start(client);
                Await.until(Duration.ofSeconds(10), "the source to open the port",
                        () -> source.state().startsWith("connected") || source.state().startsWith("reading"));
                byte[] telegram = Fixtures.bytes(fixture);
                for (int round = 0; round < 2; round++) {
                    for (int i = 0; i < telegram.length; i += 16) {
                        int n = Math.min(16, telegram.length - i);
                        assertThat(meter.writeBytes(telegram, n, i)).isEqualTo(n);
                        Thread.sleep(1); // a pause between bursts, as the UART's FIFO delivers them
                    }
                }
                Await.until(Duration.ofSeconds(10), "two telegrams", () -> rec.payloads("dsmr/json").size() >= 2);
                MeterReading expected = Fixtures.reading(fixture);
                assertThat(rec.last("dsmr/reading/electricity_delivered_1"))
                        .contains(expected.number("electricity_delivered_1").toPlainString());
                assertThat(rec.last("dsmr/reading/extra_device_delivered"))
                        .contains(expected.number("extra_device_delivered").toPlainString());
                assertThat(rec.last("dsmr/availability")).contains("online");
                assertThat(source.badTelegrams().rejectedTelegrams()).isZero();
                assertThat(source.state()).contains(ptys.get(0) + " at " + baud + " " + framing);
            } finally {
                source.close();
                meter.closePort();
                client.close();
            }
        }
    }
}
