package io.vane.devices.p1;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.broker.Broker;
import io.vane.broker.local.LocalClient;
import io.vane.broker.local.LocalClientOptions;
import io.vane.devices.line.TcpLink;
import io.vane.devices.source.Await;
import io.vane.devices.source.Recorder;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A P1-to-Ethernet converter played by a server in the test: it sends a telegram in pieces, drops the
 * connection in the middle of the next one, and serves a new telegram on the reconnect. Only the two
 * whole telegrams are published; the meter goes offline while the line is down and online again.
 */
class TcpConverterTest {

    private static byte[] telegram(String kwh) {
        String body = new String(Fixtures.bytes("dsmr50-iskra-mt382.txt"), StandardCharsets.ISO_8859_1);
        body = body.substring(0, body.indexOf('!') + 1).replace("1-0:1.8.1(000004.426*kWh)",
                "1-0:1.8.1(" + kwh + "*kWh)");
        return Fixtures.sealed(body);
    }

    private static void writeSlowly(OutputStream out, byte[] bytes, int from, int to) throws Exception {
        for (int i = from; i < to; i += 97) {
            out.write(bytes, i, Math.min(97, to - i));
            out.flush();
            Thread.sleep(2); // a converter forwards what the UART gave it, in bursts
        }
    }

    @Test
    void dropMidTelegramReconnectsAndPublishesOnlyWholeTelegrams() throws Exception {
        try (Broker broker = Broker.withDefaults();
                ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Recorder rec = new Recorder(broker, "dsmr/#");
            byte[] first = telegram("000100.001");
            byte[] cut = telegram("000666.666");
            byte[] second = telegram("000100.002");
            Thread converter = new Thread(() -> {
                try {
                    try (Socket s = server.accept()) {
                        writeSlowly(s.getOutputStream(), first, 0, first.length);
                        writeSlowly(s.getOutputStream(), cut, 0, cut.length / 2);
                        // Wait until the first telegram is out before dropping, so the order is the test's.
                        Await.until(Duration.ofSeconds(10), "the first telegram published",
                                () -> rec.payloads("dsmr/reading/electricity_delivered_1").contains("100.001"));
                    }
                    try (Socket s = server.accept()) {
                        writeSlowly(s.getOutputStream(), second, 0, second.length);
                        Await.until(Duration.ofSeconds(20), "the test to finish", () -> false || Thread.interrupted());
                    }
                } catch (Exception | AssertionError e) {
                    // the test's assertions say what went wrong
                }
            }, "test-converter");
            converter.setDaemon(true);
            converter.start();
            LocalClient client = broker.connectLocal(LocalClientOptions.internal("vane-source-meter"))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            P1Source source = new P1Source("meter", new TcpLink("127.0.0.1", server.getLocalPort()), "dsmr", 0,
                    Clock.systemDefaultZone());
            try {
                source.start(client);
                Await.until(Duration.ofSeconds(20), "the telegram after the reconnect",
                        () -> rec.payloads("dsmr/reading/electricity_delivered_1").contains("100.002"));
                assertThat(rec.payloads("dsmr/reading/electricity_delivered_1")).containsExactly("100.001", "100.002");
                assertThat(rec.payloads("dsmr/json")).hasSize(2).noneMatch(j -> j.contains("666.666"));
                assertThat(rec.payloads("dsmr/availability")).containsSubsequence("offline", "online", "offline",
                        "online");
                assertThat(source.badTelegrams().count(Rejection.Reason.TRUNCATED)).isEqualTo(1);
                assertThat(source.state()).startsWith("reading 127.0.0.1:");
            } finally {
                source.close();
                client.close();
                converter.interrupt();
            }
            assertThat(source.state()).isEqualTo("stopped");
        }
    }
}
