package io.vane.it;

import static io.vane.it.Clients.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult.Mqtt5Qos1Result;
import io.vane.app.Vane;
import io.vane.app.config.ConfigParser;
import io.vane.app.config.VaneConfig;
import io.vane.broker.security.PasswordHash;
import io.vane.devices.opentherm.FakeGateway;
import io.vane.testkit.Poll;
import io.vane.transport.ListenerConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Controlling the boiler end to end: Vane started from a config file with one {@code opentherm_source}
 * line naming a gateway on a TCP port, played by the test. An authenticated MQTT 5.0 client (the HiveMQ
 * client) that the ACL lets write {@code opentherm/set/#} publishes a setpoint with a Response Topic and
 * Correlation Data and gets the gateway's echo back there; an anonymous client and a read-only user are
 * refused with 0x87 and nothing reaches the gateway; an out-of-range value is refused by Vane and never
 * reaches the gateway either.
 */
class OpenThermControlTest {
    @TempDir
    Path dir;

    private static int pubAck(Mqtt5BlockingClient c, String topic, String payload) {
        try {
            Mqtt5Qos1Result r = (Mqtt5Qos1Result) c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(bytes(payload)).send();
            return r.getPubAck().getReasonCode().getCode();
        } catch (Mqtt5PubAckException e) {
            return e.getMqttMessage().getReasonCode().getCode();
        }
    }

    private static Mqtt5BlockingClient client(Vane vane, String id, String user, String password) {
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(vane.port(0)).buildBlocking();
        if (user == null) {
            c.connect();
        } else {
            c.connectWith().simpleAuth().username(user).password(bytes(password)).applySimpleAuth().send();
        }
        return c;
    }

    @Test
    void anAuthorisedUserSetsTheSetpointAndAnonymousCannot() throws Exception {
        try (ServerSocket gatewayPort = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Files.writeString(dir.resolve("pwfile"), "owner:" + PasswordHash.pbkdf2("opass", 101).encoded() + "\nguest:"
                    + PasswordHash.pbkdf2("gpass", 101).encoded() + "\n");
            Files.writeString(dir.resolve("aclfile"), String.join("\n", "topic read opentherm/#", "user owner",
                    "topic readwrite opentherm/#", "topic readwrite clients/owner/#", "user guest", "topic read opentherm/#",
                    ""));
            Files.writeString(dir.resolve("vane.conf"), String.join("\n", "password_file pwfile", "acl_file aclfile",
                    "opentherm_source boiler tcp:127.0.0.1:" + gatewayPort.getLocalPort(), ""));
            VaneConfig config = new ConfigParser().withWorkingDirectory(dir).read(dir.resolve("vane.conf"))
                    .withListeners(List.of(new ListenerConfig(0, "127.0.0.1", ListenerConfig.Protocol.MQTT, -1)));
            try (Vane vane = Vane.start(config);
                    Socket line = gatewayPort.accept();
                    FakeGateway gw = new FakeGateway(line.getInputStream(), line.getOutputStream(), 100).start()) {
                java.util.Map<String, String> latest = new java.util.concurrent.ConcurrentHashMap<>();
                vane.broker().subscribe("opentherm/#", m -> latest.put(m.topic(), new String(m.payload(),
                        StandardCharsets.UTF_8)));
                Mqtt5BlockingClient owner = client(vane, "owner-phone", "owner", "opass");
                Mqtt5BlockingClient anonymous = client(vane, "someone", null, null);
                Mqtt5BlockingClient guest = client(vane, "guest-phone", "guest", "gpass");
                try (Mqtt5BlockingClient.Mqtt5Publishes replies = owner.publishes(MqttGlobalPublishFilter.ALL)) {
                    owner.subscribeWith().topicFilter("clients/owner/reply").qos(MqttQos.AT_LEAST_ONCE).send();
                    owner.subscribeWith().topicFilter("opentherm/availability").qos(MqttQos.AT_LEAST_ONCE).send();
                    assertThat(Poll.until(Duration.ofSeconds(10), () -> "online".equals(latest.get(
                            "opentherm/availability")))).as("gateway online").isTrue();

                    // Anonymous and a read-only user: refused by the ACL, nothing sent.
                    assertThat(pubAck(anonymous, "opentherm/set/setpoint", "25")).isEqualTo(0x87);
                    assertThat(pubAck(guest, "opentherm/set/setpoint", "25")).isEqualTo(0x87);
                    assertThat(pubAck(anonymous, "opentherm/set/command", "GW=R")).isEqualTo(0x87);

                    // The owner, with a Response Topic and Correlation Data.
                    owner.publishWith().topic("opentherm/set/setpoint").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("21.5"))
                            .responseTopic("clients/owner/reply").correlationData(bytes("req-1")).send();
                    Mqtt5Publish answer = next(replies, "clients/owner/reply");
                    assertThat(new String(answer.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo(
                            "{\"command\":\"setpoint\",\"sent\":\"TT=21.5\",\"ok\":true,\"answer\":\"TT: 21.50\"}");
                    assertThat(answer.getCorrelationData().map(b -> StandardCharsets.UTF_8.decode(b).toString()))
                            .contains("req-1");
                    assertThat(gw.received).containsExactly("TT=21.5");

                    // Out of range: Vane answers, the gateway never hears of it.
                    owner.publishWith().topic("opentherm/set/setpoint").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("99"))
                            .responseTopic("clients/owner/reply").correlationData(bytes("req-2")).send();
                    Mqtt5Publish refused = next(replies, "clients/owner/reply");
                    assertThat(new String(refused.getPayloadAsBytes(), StandardCharsets.UTF_8)).contains(
                            "\"ok\":false,\"error\":\"range\"").contains("0 to 30");
                    assertThat(refused.getCorrelationData().map(b -> StandardCharsets.UTF_8.decode(b).toString()))
                            .contains("req-2");
                    // The thermostat follows the override through ID 9, and the boiler's topics say so.
                    assertThat(Poll.until(Duration.ofSeconds(10), () -> "21.50".equals(latest.get(
                            "opentherm/room_setpoint")))).isTrue();
                    assertThat(gw.received).containsExactly("TT=21.5");
                    assertThat(gw.gateway.roomSetpoint()).isEqualTo(21.5);
                }
                owner.disconnect();
                anonymous.disconnect();
                guest.disconnect();
            }
        }
    }

    @Test
    void underTheSecureDefaultAnonymousReadsTheBoilerButCannotControlIt() throws Exception {
        Files.writeString(dir.resolve("vane.conf"), "simulate_opentherm true\n");
        // The no-config run's policy (decisions 0005, 0014): a config file follows Mosquitto's rules instead
        // (decision 0016), so the policy is set here as the no-config run sets it.
        VaneConfig config = new ConfigParser().withWorkingDirectory(dir).read(dir.resolve("vane.conf"))
                .withListeners(List.of(new ListenerConfig(0, "127.0.0.1", ListenerConfig.Protocol.MQTT, -1)))
                .withSecurity(io.vane.app.config.SecurityConfig.secureDefault());
        try (Vane vane = Vane.start(config)) {
            java.util.Map<String, String> results = new java.util.concurrent.ConcurrentHashMap<>();
            vane.broker().subscribe("opentherm/result/#", m -> results.put(m.topic(), "seen"));
            Mqtt5BlockingClient anonymous = client(vane, "someone", null, null);
            try (Mqtt5BlockingClient.Mqtt5Publishes in = anonymous.publishes(MqttGlobalPublishFilter.ALL)) {
                anonymous.subscribeWith().topicFilter("opentherm/flame").send();
                Mqtt5Publish flame = next(in, "opentherm/flame");
                assertThat(new String(flame.getPayloadAsBytes(), StandardCharsets.UTF_8)).isIn("true", "false");
                assertThat(pubAck(anonymous, "opentherm/set/setpoint", "25")).isEqualTo(0x87);
                assertThat(pubAck(anonymous, "opentherm/set/gatewaymode", "R")).isEqualTo(0x87);
                // A local publish after the refused ones: its result proves the refused ones never arrived.
                vane.broker().publish("opentherm/set/command", "PR=A", 1, false);
                assertThat(Poll.until(Duration.ofSeconds(10), () -> results.containsKey("opentherm/result/command")))
                        .isTrue();
                assertThat(results).containsOnlyKeys("opentherm/result/command");
            }
            anonymous.disconnect();
        }
    }

    private static Mqtt5Publish next(Mqtt5BlockingClient.Mqtt5Publishes publishes, String topic) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Optional<Mqtt5Publish> p = publishes.receive(1, TimeUnit.SECONDS);
            if (p.isPresent() && p.get().getTopic().toString().equals(topic)) {
                return p.get();
            }
        }
        throw new AssertionError("nothing on " + topic + " in 10 s");
    }
}
