package io.vane.devices.opentherm;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.broker.Broker;
import io.vane.broker.local.LocalClient;
import io.vane.broker.local.LocalClientOptions;
import io.vane.devices.line.TcpLink;
import io.vane.devices.source.Await;
import io.vane.devices.source.Recorder;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A gateway on a TCP port (ser2net, OTGW-firmware's port 25238) played by the test: the source reads its
 * frames, sends commands over the same connection and reads back the echo and every refusal; a megabyte
 * of garbage and an over-long line cost no memory; the connection dropped in the middle of a line is
 * reconnected and the half line never becomes a frame.
 */
class FakeGatewayTcpTest {

    @Test
    void framesCommandsRefusalsGarbageAndReconnectMidLine() throws Exception {
        try (Broker broker = Broker.withDefaults();
                ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Recorder rec = new Recorder(broker, "opentherm/#");
            LocalClient client = broker.connectLocal(LocalClientOptions.internal("vane-source-boiler"))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            OpenThermSource source = new OpenThermSource("boiler", new TcpLink("127.0.0.1", server.getLocalPort()),
                    "opentherm", 0, Clock.systemDefaultZone());
            try {
                source.start(client);
                try (Socket line = server.accept();
                        FakeGateway gw = new FakeGateway(line.getInputStream(), line.getOutputStream(), 50).start()) {
                    Await.until(Duration.ofSeconds(10), "the boiler's values", () -> rec.last("opentherm/slaveproducttype")
                            .isPresent() && rec.last("opentherm/availability").orElse("").equals("online"));
                    assertThat(rec.last("opentherm/room_setpoint")).contains("20.00");
                    assertThat(rec.last("opentherm/slaveproducttype")).contains("28");
                    Await.until(Duration.ofSeconds(10), "the summary, at most once a second", () -> rec.last(
                            "opentherm/json").orElse("").contains("\"flow_temperature\":"));

                    // A command and its echo.
                    broker.publish("opentherm/set/setpoint", "21.5", 1, false);
                    Await.until(Duration.ofSeconds(10), "the setpoint's echo",
                            () -> rec.last("opentherm/result/setpoint").isPresent());
                    assertThat(rec.last("opentherm/result/setpoint").orElseThrow()).isEqualTo("{\"command\":\"setpoint\","
                            + "\"sent\":\"TT=21.5\",\"ok\":true,\"answer\":\"TT: 21.50\"}");
                    assertThat(gw.received).containsExactly("TT=21.5");
                    Await.until(Duration.ofSeconds(10), "the thermostat following the override through ID 9",
                            () -> rec.last("opentherm/room_setpoint").orElse("").equals("21.50")
                                    && rec.last("opentherm/remote_override_setpoint").orElse("").equals("21.50"));

                    // Every refusal the gateway can give, read back as the command's result.
                    for (String code : GatewayLine.REFUSALS.keySet()) {
                        broker.publish("opentherm/set/command", code + "=1", 1, false);
                        Await.until(Duration.ofSeconds(10), "the refusal " + code, () -> rec.payloads(
                                "opentherm/result/command").stream().anyMatch(p -> p.contains("\"error\":\"" + code + "\"")));
                    }
                    assertThat(rec.payloads("opentherm/result/command")).hasSize(GatewayLine.REFUSALS.size())
                            .allMatch(p -> p.contains("\"ok\":false") && p.contains("\"reason\":"));
                    // The gateway's own range check, reached only through the raw command.
                    broker.publish("opentherm/set/command", "TT=99", 1, false);
                    Await.until(Duration.ofSeconds(10), "OR for TT=99", () -> rec.last("opentherm/result/command")
                            .orElse("").contains("\"sent\":\"TT=99\",\"ok\":false,\"error\":\"OR\""));
                    // Vane's range check: nothing is sent.
                    int before = gw.received.size();
                    broker.publish("opentherm/set/setpoint", "99", 1, false);
                    Await.until(Duration.ofSeconds(10), "the refusal of 99", () -> rec.payloads("opentherm/result/setpoint")
                            .size() == 2);
                    assertThat(rec.last("opentherm/result/setpoint").orElseThrow()).contains("\"error\":\"range\"");
                    assertThat(gw.received).hasSize(before);
                    assertThat(source.refusedLocally()).isEqualTo(1);

                    // Garbage: a megabyte without a line end, then the gateway's lines again.
                    byte[] noise = new byte[1 << 20];
                    Arrays.fill(noise, (byte) 'Z');
                    gw.write(noise);
                    gw.write("\r\nError 02\r\nB40193741\r\n");
                    Await.until(Duration.ofSeconds(10), "the over-long line, the line error and the parity error",
                            () -> rec.last("opentherm/gateway/overlong_lines").isPresent()
                                    && rec.last("opentherm/gateway/line_errors").isPresent()
                                    && rec.last("opentherm/gateway/parity_errors").isPresent());
                    assertThat(rec.last("opentherm/gateway/last_error").orElseThrow()).startsWith("Error 02: stop bit");
                    // Half a frame, and the line drops.
                    gw.write("T1001");
                }
                Await.until(Duration.ofSeconds(10), "offline", () -> rec.last("opentherm/availability").orElse("")
                        .equals("offline"));
                try (Socket line = server.accept()) {
                    // The rest of the old half line: joined, "T1001" + "1B00" would be a control setpoint of 27.00.
                    line.getOutputStream().write("1B00\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    try (FakeGateway gw = new FakeGateway(line.getInputStream(), line.getOutputStream(), 50).start()) {
                        Await.until(Duration.ofSeconds(20), "online again", () -> rec.last("opentherm/availability")
                                .orElse("").equals("online"));
                        Await.until(Duration.ofSeconds(10), "reading again", () -> source.state().startsWith(
                                "reading 127.0.0.1:"));
                    }
                }
                assertThat(rec.payloads("opentherm/control_setpoint")).doesNotContain("27.00");
                assertThat(rec.last("opentherm/gateway/ignored_lines")).isPresent();
                assertThat(rec.payloads("opentherm/availability")).containsSubsequence("offline", "online", "offline",
                        "online");
            } finally {
                source.close();
                client.close();
            }
        }
    }
}
