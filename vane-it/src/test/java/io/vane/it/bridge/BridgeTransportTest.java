package io.vane.it.bridge;

import static io.vane.it.bridge.BridgeTestKit.client;
import static io.vane.it.bridge.BridgeTestKit.collect;
import static io.vane.it.bridge.BridgeTestKit.disconnect;
import static io.vane.it.bridge.BridgeTestKit.freePort;
import static io.vane.it.bridge.BridgeTestKit.publish;
import static io.vane.it.bridge.BridgeTestKit.vane;
import static org.assertj.core.api.Assertions.assertThat;

import io.vane.app.Vane;
import io.vane.broker.bridge.Bridge;
import io.vane.broker.bridge.BridgeStats;
import io.vane.testkit.MosquittoBroker;
import io.vane.testkit.Poll;
import io.vane.testkit.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a bridge reaches its remote broker: TLS to Debian's mosquitto with openssl-made certificates
 * (the host name checked, a client certificate when the remote asks for one, a wrong CA refused with a
 * reason), and MQTT over WebSockets and secure WebSockets to Vane, which Mosquitto cannot bridge over.
 */
class BridgeTransportTest {
    @TempDir
    Path dir;
    private TestCertificates certs;

    @BeforeEach
    void makeCertificates() {
        certs = TestCertificates.create(dir);
        certs.issue("server", "rsa-pkcs8", true);
        certs.issue("bridge", "ec", false);
    }

    private static boolean connected(Bridge b) {
        return Poll.until(Duration.ofSeconds(20), () -> b.stats().state() == BridgeStats.State.CONNECTED);
    }

    /** Sends one message over the bridge and waits for it at the remote side. */
    private static void crosses(int localPort, int remotePort) throws Exception {
        MqttClient reader = client(remotePort, "reader");
        BridgeTestKit.Collected got = collect(reader, "x/#", 1);
        MqttClient sensor = client(localPort, "sensor");
        assertThat(Poll.until(Duration.ofSeconds(15), () -> {
            try {
                publish(sensor, "x/t", "over", 1, false);
            } catch (Exception e) {
                return false;
            }
            return got.lines.contains("x/t over");
        })).isTrue();
        disconnect(sensor);
        disconnect(reader);
    }

    @Test
    void tlsToMosquittoWithTheHostNameCheckedAndAClientCertificate() throws Exception {
        int tlsPort = freePort();
        try (MosquittoBroker remote = MosquittoBroker.start(List.of("listener " + tlsPort + " 127.0.0.1",
                "cafile " + certs.ca(), "certfile " + dir.resolve("server.pem"), "keyfile " + dir.resolve("server.key"),
                "require_certificate true"))) {
            int port = freePort();
            try (Vane local = vane(dir, "local", "listener " + port + " 127.0.0.1\nallow_anonymous true\n"
                    + "connection secure\naddress localhost:" + tlsPort + "\nbridge_cafile " + certs.ca()
                    + "\nbridge_certfile " + dir.resolve("bridge.pem") + "\nbridge_keyfile " + dir.resolve("bridge.key")
                    + "\nbridge_tls_version tlsv1.2\ntopic x/# out 1\n")) {
                assertThat(connected(local.bridges().get(0))).as("%s", local.bridges().get(0).stats().lastError())
                        .isTrue();
                crosses(port, remote.port());
            }
        }
    }

    @Test
    void aRemoteCertificateFromAnotherCaIsRefusedWithTheReason() throws Exception {
        int tlsPort = freePort();
        Path other = dir.resolve("other");
        java.nio.file.Files.createDirectories(other);
        TestCertificates otherCa = TestCertificates.create(other);
        try (MosquittoBroker remote = MosquittoBroker.start(List.of("listener " + tlsPort + " 127.0.0.1",
                "certfile " + dir.resolve("server.pem"), "keyfile " + dir.resolve("server.key")))) {
            int port = freePort();
            try (Vane local = vane(dir, "local", "listener " + port + " 127.0.0.1\nallow_anonymous true\n"
                    + "connection secure\naddress localhost:" + tlsPort + "\nbridge_cafile " + otherCa.ca()
                    + "\nrestart_timeout 1\ntopic x/# out 1\n")) {
                Bridge b = local.bridges().get(0);
                assertThat(Poll.until(Duration.ofSeconds(15), () -> b.stats().lastError().contains("TLS handshake"
                        + " failed"))).as("last error: %s", b.stats().lastError()).isTrue();
                assertThat(b.stats().state()).isNotEqualTo(BridgeStats.State.CONNECTED);
            }
        }
    }

    @Test
    void overWebSockets() throws Exception {
        int remoteWs = freePort();
        int remoteMqtt = freePort();
        int port = freePort();
        try (Vane remote = vane(dir, "remote", "listener " + remoteMqtt + " 127.0.0.1\nlistener " + remoteWs
                + " 127.0.0.1\nprotocol websockets\nallow_anonymous true\n");
                Vane local = vane(dir, "local", "listener " + port + " 127.0.0.1\nallow_anonymous true\n"
                        + "connection ws\naddress ws://127.0.0.1:" + remoteWs + "/mqtt\ntopic x/# out 1\n")) {
            assertThat(connected(local.bridges().get(0))).as("%s", local.bridges().get(0).stats().lastError()).isTrue();
            crosses(port, remoteMqtt);
        }
    }

    @Test
    void overSecureWebSockets() throws Exception {
        int remoteWss = freePort();
        int remoteMqtt = freePort();
        int port = freePort();
        try (Vane remote = vane(dir, "remote", "listener " + remoteMqtt + " 127.0.0.1\nlistener " + remoteWss
                + " 127.0.0.1\nprotocol websockets\ncertfile " + dir.resolve("server.pem") + "\nkeyfile "
                + dir.resolve("server.key") + "\nallow_anonymous true\n");
                Vane local = vane(dir, "local", "listener " + port + " 127.0.0.1\nallow_anonymous true\n"
                        + "connection wss\naddress wss://localhost:" + remoteWss + "/mqtt\nbridge_cafile " + certs.ca()
                        + "\nbridge_protocol_version mqttv50\ntopic x/# out 1\n")) {
            assertThat(connected(local.bridges().get(0))).as("%s", local.bridges().get(0).stats().lastError()).isTrue();
            crosses(port, remoteMqtt);
        }
    }
}
