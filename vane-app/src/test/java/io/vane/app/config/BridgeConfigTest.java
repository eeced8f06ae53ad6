package io.vane.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vane.broker.bridge.BridgeAddress;
import io.vane.broker.bridge.BridgeSettings;
import io.vane.broker.bridge.BridgeTopic;
import io.vane.protocol.MqttVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code connection} sections: Mosquitto 2.0's defaults (src/conf.c), every option, and file:line errors. */
class BridgeConfigTest {
    @TempDir
    Path dir;

    private List<BridgeSettings> bridges(String... lines) throws Exception {
        Files.writeString(dir.resolve("vane.conf"), String.join("\n", lines) + "\n");
        return new ConfigParser().withWorkingDirectory(dir).read(Path.of("vane.conf")).app().bridges();
    }

    private String error(String... lines) throws IOException {
        Files.writeString(dir.resolve("vane.conf"), String.join("\n", lines) + "\n");
        try {
            new ConfigParser().withWorkingDirectory(dir).read(Path.of("vane.conf"));
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a ConfigException");
    }

    @Test
    void theSeedsThreeLinesGetMosquittosDefaults() throws Exception {
        BridgeSettings b = bridges("connection domotica", "address domotica.hekkers.lan", "topic /# in").get(0);
        assertThat(b.addresses()).containsExactly(BridgeAddress.tcp("domotica.hekkers.lan", 1883));
        assertThat(b.topics()).containsExactly(new BridgeTopic("/#", BridgeTopic.Direction.IN, 0, "", ""));
        assertThat(b.remoteClientId()).isEqualTo(ConfigParser.hostName() + ".domotica");
        assertThat(b.localClientId()).isEqualTo("local." + ConfigParser.hostName() + ".domotica");
        assertThat(b.cleanSession()).isFalse();
        assertThat(b.localCleanSession()).isFalse();
        assertThat(b.protocol()).isEqualTo(MqttVersion.V3_1_1);
        assertThat(b.tryPrivate()).isTrue();
        assertThat(b.keepAliveSeconds()).isEqualTo(60);
        assertThat(b.startType()).isEqualTo(BridgeSettings.StartType.AUTOMATIC);
        assertThat(b.idleTimeoutSeconds()).isEqualTo(60);
        assertThat(b.threshold()).isEqualTo(10);
        assertThat(b.restartBaseSeconds()).isEqualTo(5);
        assertThat(b.restartCapSeconds()).isEqualTo(30);
        assertThat(b.notifications()).isTrue();
        assertThat(b.notificationsLocalOnly()).isFalse();
        assertThat(b.stateTopic()).isEqualTo("$SYS/broker/connection/" + b.remoteClientId() + "/state");
        assertThat(b.attemptUnsubscribe()).isTrue();
        assertThat(b.outgoingRetain()).isTrue();
        assertThat(b.roundRobin()).isFalse();
        assertThat(b.tls()).isNull();
    }

    @Test
    void everyOptionIsRead() throws Exception {
        Files.writeString(dir.resolve("ca.crt"), "");
        BridgeSettings b = bridges("connection public", "addresses a.example:1884 [::1]:1885 b.example",
                "round_robin true", "topic sensors/# out 1 house/ public/", "topic \"\" in 2 local/t remote/t",
                "topic cmd/+ both 2", "remote_clientid house", "local_clientid house-local", "remote_username u",
                "remote_password p", "local_username bridge", "local_password lp", "cleansession true",
                "local_cleansession false", "bridge_protocol_version mqttv50", "try_private false",
                "keepalive_interval 30", "start_type lazy", "idle_timeout 120", "threshold 5", "restart_timeout 2 8",
                "notifications false", "notifications_local_only true", "notification_topic bridges/house",
                "bridge_attempt_unsubscribe false", "bridge_outgoing_retain false", "bridge_max_packet_size 65536",
                "bridge_bind_address 127.0.0.1", "bridge_cafile ca.crt", "bridge_insecure true",
                "bridge_tls_version tlsv1.3", "bridge_receive_maximum 50", "bridge_session_expiry_interval 3600",
                "bridge_tcp_keepalive 20 5 4", "bridge_tcp_user_timeout 30000", "bridge_reload_type immediate",
                "bridge_max_queued_messages 100000", "bridge_max_queued_bytes 1000000").get(0);
        assertThat(b.addresses()).containsExactly(BridgeAddress.tcp("a.example", 1884), BridgeAddress.tcp("::1", 1885),
                BridgeAddress.tcp("b.example", 1883));
        assertThat(b.roundRobin()).isTrue();
        assertThat(b.topics()).containsExactly(
                new BridgeTopic("sensors/#", BridgeTopic.Direction.OUT, 1, "house/", "public/"),
                new BridgeTopic("", BridgeTopic.Direction.IN, 2, "local/t", "remote/t"),
                new BridgeTopic("cmd/+", BridgeTopic.Direction.BOTH, 2, "", ""));
        assertThat(b.remoteClientId()).isEqualTo("house");
        assertThat(b.localClientId()).isEqualTo("house-local");
        assertThat(b.remoteUsername()).isEqualTo("u");
        assertThat(b.remotePassword()).isEqualTo("p");
        assertThat(b.localUsername()).isEqualTo("bridge");
        assertThat(b.cleanSession()).isTrue();
        assertThat(b.localCleanSession()).isFalse();
        assertThat(b.protocol()).isEqualTo(MqttVersion.V5);
        assertThat(b.tryPrivate()).isFalse();
        assertThat(b.keepAliveSeconds()).isEqualTo(30);
        assertThat(b.startType()).isEqualTo(BridgeSettings.StartType.LAZY);
        assertThat(b.idleTimeoutSeconds()).isEqualTo(120);
        assertThat(b.threshold()).isEqualTo(5);
        assertThat(b.restartBaseSeconds()).isEqualTo(2);
        assertThat(b.restartCapSeconds()).isEqualTo(8);
        assertThat(b.notifications()).isFalse();
        assertThat(b.notificationsLocalOnly()).isTrue();
        assertThat(b.stateTopic()).isEqualTo("bridges/house");
        assertThat(b.attemptUnsubscribe()).isFalse();
        assertThat(b.outgoingRetain()).isFalse();
        assertThat(b.maxPacketSize()).isEqualTo(65536);
        assertThat(b.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(b.tls().cafile()).isEqualTo(dir.resolve("ca.crt"));
        assertThat(b.tls().insecure()).isTrue();
        assertThat(b.tls().version()).isEqualTo("tlsv1.3");
        assertThat(b.receiveMaximum()).isEqualTo(50);
        assertThat(b.sessionExpirySeconds()).isEqualTo(3600);
        assertThat(b.tcpKeepAliveSeconds()).isEqualTo(20);
        assertThat(b.tcpKeepAliveInterval()).isEqualTo(5);
        assertThat(b.tcpKeepAliveCount()).isEqualTo(4);
        assertThat(b.tcpUserTimeoutMillis()).isEqualTo(30000);
        assertThat(b.maxQueuedMessages()).isEqualTo(100000);
        assertThat(b.maxQueuedBytes()).isEqualTo(1000000);
    }

    @Test
    void localCleanSessionFollowsCleanSessionAndOneRestartValueIsFixed() throws Exception {
        BridgeSettings b = bridges("connection c", "address h", "topic # out", "cleansession true",
                "restart_timeout 10").get(0);
        assertThat(b.localCleanSession()).isTrue();
        assertThat(b.restartBaseSeconds()).isEqualTo(10);
        assertThat(b.restartCapSeconds()).isEqualTo(10);
    }

    @Test
    void webSocketAddresses() throws Exception {
        BridgeSettings b = bridges("connection w", "address wss://broker.example.org/mqtt ws://h:8080", "topic # out")
                .get(0);
        assertThat(b.addresses()).containsExactly(new BridgeAddress("broker.example.org", 443, "/mqtt", true),
                new BridgeAddress("h", 8080, "/mqtt", false));
    }

    @Test
    void alpnAndSystemCertificatesForWss() throws Exception {
        BridgeSettings b = bridges("connection w", "address wss://broker.example.org/mqtt", "bridge_alpn mqtt,x-amzn-mqtt-ca",
                "topic # out").get(0);
        assertThat(b.tls().alpn()).containsExactly("mqtt", "x-amzn-mqtt-ca");
        assertThat(b.tls().cafile()).as("the JDK's own CAs check a wss:// remote").isNull();
    }

    @Test
    void optionsAliasesMeanTheSame() throws Exception {
        BridgeSettings b = bridges("connection a", "address h", "topic # out", "clientid c1", "username u1",
                "password p1").get(0);
        assertThat(b.remoteClientId()).isEqualTo("c1");
        assertThat(b.remoteUsername()).isEqualTo("u1");
        assertThat(b.remotePassword()).isEqualTo("p1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        topic # sideways            | vane.conf:3: topic direction must be in, out or both, got 'sideways'; write e.g. topic sensors/# out 1 house/ public/
        topic # in 3                | vane.conf:3: topic QoS must be 0, 1 or 2, got '3'; write e.g. topic sensors/# out 1 house/ public/
        topic # in 1 house/         | vane.conf:3: topic needs both prefixes, local then remote ("" for none), got only 'house/'; write e.g. topic sensors/# out 1 house/ public/
        topic # in 1 a/# b/         | vane.conf:3: topic prefix 'a/#' contains a wildcard; prefixes are plain topic levels; write e.g. topic sensors/# out 1 house/ public/
        topic "" in                 | vane.conf:3: topic "" remaps one topic and needs both prefixes as the whole local and remote names; write e.g. topic "" in 0 house/temperature public/temperature
        restart_timeout 30 5        | vane.conf:3: restart_timeout's cap 5 is below its base 30; write e.g. restart_timeout 5 30 (back off from 5 s to 30 s) or restart_timeout 10
        keepalive_interval 2        | vane.conf:3: keepalive_interval needs a whole number from 5 to 65535, got '2'; write e.g. keepalive_interval 60
        start_type sometimes        | vane.conf:3: start_type needs one of automatic, lazy, once, got 'sometimes'; write e.g. start_type automatic
        bridge_identity house       | vane.conf:3: bridge_identity (TLS-PSK) is not supported: Java's TLS has no pre-shared keys; use certificates instead (bridge_cafile, and bridge_certfile/bridge_keyfile if the remote broker asks for a client certificate)
        bridge_require_ocsp true    | vane.conf:3: bridge_require_ocsp true is not supported: Vane cannot check OCSP stapling on bridges yet; remove the line (the certificate is still checked against bridge_cafile)
        address h:99999             | vane.conf:3: address 'h:99999' has port '99999'; a port is 1 to 65535; write e.g. address broker.example.org:1883 or address wss://broker.example.org/mqtt
        """)
    void aBadBridgeLineStopsStartUpAtItsLine(String line, String message) throws Exception {
        assertThat(error("connection c", "address h", line, "topic # out")).isEqualTo(message);
    }

    @Test
    void sectionProblemsNameTheConnectionLine() throws Exception {
        assertThat(error("listener 1883", "connection c", "topic # out")).isEqualTo("vane.conf:2: connection c has no"
                + " address; write e.g. address broker.example.org:1883 after it");
        assertThat(error("connection c", "address h")).startsWith("vane.conf:1: connection c has no topic line");
        assertThat(error("connection c", "address h", "topic # out", "bridge_certfile x.crt")).isEqualTo(
                "vane.conf:1: connection c has bridge_certfile without bridge_keyfile; a client certificate needs both");
        assertThat(error("connection a", "address h", "topic # out", "local_clientid same", "connection b",
                "address h", "topic # out", "local_clientid same")).isEqualTo("vane.conf:5: connection b has local"
                + " client id same, as connection a at vane.conf:1 does; set local_clientid (or remote_clientid) so"
                + " each bridge has its own");
        assertThat(error("connection c", "address h", "topic # out", "bridge_tls_version tlsv1.2")).isEqualTo(
                "vane.conf:1: connection c sets bridge_tls_version without TLS; add bridge_cafile (or bridge_capath, or"
                + " a wss:// address), or remove bridge_tls_version");
        assertThat(error("address h")).isEqualTo("vane.conf:1: 'address' is a bridge option and belongs in a bridge"
                + " section; write connection <name> before it, or remove it");
    }

    @Test
    void aListenerAfterABridgeSectionStillTakesListenerOptions() throws Exception {
        Files.writeString(dir.resolve("vane.conf"), String.join("\n", "listener 1883", "connection c", "address h",
                "topic # out", "listener 9001", "protocol websockets") + "\n");
        VaneConfig config = new ConfigParser().withWorkingDirectory(dir).read(Path.of("vane.conf"));
        assertThat(config.listeners()).hasSize(2);
        assertThat(config.app().bridges()).hasSize(1);
    }

    @Test
    void noBridgesWithoutAConnectionSection() throws Exception {
        assertThat(bridges("listener 1883")).isEmpty();
        assertThatThrownBy(() -> bridges("connection")).isInstanceOf(ConfigException.class);
    }
}
