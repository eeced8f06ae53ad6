package io.vane.it;

import static io.vane.it.Clients.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult.Mqtt5Qos1Result;
import io.vane.app.config.SecurityConfig;
import io.vane.app.config.VaneConfig;
import io.vane.broker.security.PasswordHash;
import io.vane.broker.security.SecuritySettings;
import io.vane.it.Clients.Received;
import io.vane.testkit.BrokerFixture;
import io.vane.transport.ListenerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An ACL file enforced end to end, for 3.1.1 (Paho) and 5.0 (HiveMQ): publish, subscribe, delivery. */
class AclTest {
    @TempDir
    static Path dir;
    static BrokerFixture broker;

    @BeforeAll
    static void start() throws Exception {
        Path pw = dir.resolve("pwfile");
        Files.writeString(pw, "alice:" + PasswordHash.pbkdf2("apass", 101).encoded() + "\nbob:"
                + PasswordHash.pbkdf2("bpass", 101).encoded() + "\n");
        Path acl = dir.resolve("acl");
        Files.writeString(acl, String.join("\n", "topic read public/#", "user alice", "topic readwrite house/#",
                "topic deny house/secret", "user bob", "topic read house/#", "pattern write clients/%c/status", ""));
        broker = BrokerFixture.start(VaneConfig.defaults()
                .withListeners(List.of(new ListenerConfig(0, "127.0.0.1", ListenerConfig.Protocol.MQTT, -1)))
                .withSecurity(new SecurityConfig(new SecuritySettings(true, pw, acl), Map.of())));
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static MqttClient paho(String id, String user, String password) throws MqttException {
        MqttClient c = new MqttClient(broker.uri(), id, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        if (user != null) {
            o.setUserName(user);
            o.setPassword(password.toCharArray());
        }
        c.connect(o);
        return c;
    }

    private static Mqtt5BlockingClient hive(String id, String user, String password) {
        Mqtt5BlockingClient c = Clients.hive(broker, id);
        if (user == null) {
            c.connect();
        } else {
            c.connectWith().simpleAuth().username(user).password(bytes(password)).applySimpleAuth().send();
        }
        return c;
    }

    /** The PUBACK reason code of a QoS 1 publish; HiveMQ's blocking client throws on error codes. */
    private static int pubAckCode(Mqtt5BlockingClient c, String topic) {
        try {
            Mqtt5Qos1Result r = (Mqtt5Qos1Result) c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(bytes("x")).send();
            return r.getPubAck().getReasonCode().getCode();
        } catch (com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException e) {
            return e.getMqttMessage().getReasonCode().getCode();
        }
    }

    @Test
    void v311DeniedPublishIsAcknowledgedAndDropped() throws Exception {
        MqttClient bob = paho("acl-bob", "bob", "bpass");
        BlockingQueue<Received> seen = Clients.subscribe(bob, "house/#", 1);
        MqttClient anon = paho("acl-anon", null, null);
        anon.publish("house/door", bytes("open"), 1, false); // completes: PUBACK without reason on 3.1.1
        MqttClient alice = paho("acl-alice", "alice", "apass");
        alice.publish("house/door", bytes("closed"), 1, false);
        assertThat(seen.poll(5, TimeUnit.SECONDS).payload()).isEqualTo("closed");
        assertThat(seen.poll(300, TimeUnit.MILLISECONDS)).isNull();
        for (MqttClient c : List.of(bob, anon, alice)) {
            c.disconnect();
        }
    }

    @Test
    void v5DeniedPublishGets0x87() {
        Mqtt5BlockingClient bob = hive("acl-bob5", "bob", "bpass");
        assertThat(pubAckCode(bob, "house/door")).isEqualTo(0x87);
        bob.disconnect();
    }

    @Test
    void subscribeToAFilterThatCanNeverBeReadIsRefused() throws Exception {
        Mqtt5BlockingClient anon5 = hive("acl-anon5", null, null);
        try {
            anon5.subscribeWith().topicFilter("house/#").send();
            throw new AssertionError("subscribed");
        } catch (com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException e) {
            assertThat(e.getMqttMessage().getReasonCodes().get(0).getCode()).isEqualTo(0x87);
        }
        anon5.disconnect();
        try (io.vane.testkit.RawClient raw = io.vane.testkit.RawClient.open(broker)) {
            raw.connect(io.vane.protocol.MqttVersion.V3_1_1, "acl-raw");
            raw.send(new io.vane.protocol.packet.Subscribe(1, List.of(
                    io.vane.protocol.packet.Subscription.of("house/#", 1),
                    io.vane.protocol.packet.Subscription.of("public/#", 1)), io.vane.protocol.Properties.NONE));
            io.vane.protocol.packet.SubAck subAck = (io.vane.protocol.packet.SubAck) raw.read(java.time.Duration.ofSeconds(5));
            assertThat(subAck.reasonCodes()).containsExactly(0x80, 1);
        }
    }

    @Test
    void deliveryIsFilteredPerMessageAndDenyWins() throws Exception {
        Mqtt5BlockingClient alice = hive("acl-alice5", "alice", "apass");
        try (Mqtt5BlockingClient.Mqtt5Publishes got = alice.publishes(MqttGlobalPublishFilter.ALL)) {
            alice.subscribeWith().topicFilter("#").qos(MqttQos.AT_LEAST_ONCE).send();
            broker.vane().broker().publish("house/secret", "hidden", 1, false);
            broker.vane().broker().publish("public/news", "not for alice: anonymous lines do not apply", 1, false);
            broker.vane().broker().publish("house/lamp", "on", 1, false);
            assertThat(new String(got.receive(5, TimeUnit.SECONDS).get().getPayloadAsBytes())).isEqualTo("on");
            assertThat(got.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
        }
        alice.disconnect();
    }

    @Test
    void patternsGiveEachClientItsOwnTopic() {
        Mqtt5BlockingClient bob = hive("bob-phone", "bob", "bpass");
        assertThat(pubAckCode(bob, "clients/bob-phone/status")).isIn(0x00, 0x10);
        assertThat(pubAckCode(bob, "clients/alice/status")).isEqualTo(0x87);
        bob.disconnect();
    }

    @Test
    void wrongPasswordAndUnknownUserGetTheSameAnswer() {
        for (String[] creds : new String[][] {{"alice", "wrong"}, {"mallory", "apass"}}) {
            Mqtt5BlockingClient c = Clients.hive(broker, "acl-bad-" + creds[0]);
            try {
                c.connectWith().simpleAuth().username(creds[0]).password(bytes(creds[1])).applySimpleAuth().send();
                throw new AssertionError("connected with " + creds[0]);
            } catch (com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException e) {
                assertThat(e.getMqttMessage().getReasonCode().getCode()).isEqualTo(0x86);
            }
        }
    }
}
