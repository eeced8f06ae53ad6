package io.vane.it;

import static io.vane.it.Clients.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient.Mqtt5Publishes;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult.Mqtt5Qos1Result;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.vane.testkit.BrokerFixture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HiveMQ MQTT Client (MQTT 5.0) against Vane: the 5.0 behaviours one test each. */
class HiveMqV5Test {
    static BrokerFixture broker;

    @BeforeAll
    static void start() {
        broker = BrokerFixture.start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static String text(Mqtt5Publish p) {
        return new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    private static Mqtt5Publish receive(Mqtt5Publishes publishes) throws InterruptedException {
        Optional<Mqtt5Publish> p = publishes.receive(5, TimeUnit.SECONDS);
        assertThat(p).as("a message within 5 s").isPresent();
        return p.get();
    }

    @Test
    void qos0And1And2BothWays() throws Exception {
        Mqtt5BlockingClient sub = Clients.hive(broker, "hive-sub");
        sub.connect();
        try (Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("hive/qos/#").qos(MqttQos.EXACTLY_ONCE).send();
            Mqtt5BlockingClient pub = Clients.hive(broker, "hive-pub");
            pub.connect();
            for (MqttQos q : MqttQos.values()) {
                pub.publishWith().topic("hive/qos/" + q.getCode()).qos(q).payload(bytes("m" + q.getCode())).send();
                Mqtt5Publish p = receive(publishes);
                assertThat(p.getTopic().toString()).isEqualTo("hive/qos/" + q.getCode());
                assertThat(p.getQos()).isEqualTo(q);
                assertThat(text(p)).isEqualTo("m" + q.getCode());
            }
            pub.disconnect();
        }
        sub.disconnect();
    }

    @Test
    void emptyClientIdGetsAnAssignedOne() {
        Mqtt5BlockingClient c = com.hivemq.client.mqtt.MqttClient.builder().useMqttVersion5()
                .serverHost(broker.host()).serverPort(broker.port()).buildBlocking();
        Mqtt5ConnAck ack = c.connect();
        assertThat(ack.getAssignedClientIdentifier()).isPresent();
        assertThat(ack.getAssignedClientIdentifier().get().toString()).startsWith("auto-");
        c.disconnect();
    }

    @Test
    void sessionPresentOnResumeAndQueuedMessagesDelivered() throws Exception {
        Mqtt5BlockingClient c = Clients.hive(broker, "hive-resume");
        Mqtt5ConnAck first = c.connectWith().cleanStart(true).sessionExpiryInterval(60).send();
        assertThat(first.isSessionPresent()).isFalse();
        c.subscribeWith().topicFilter("hive/resume").qos(MqttQos.AT_LEAST_ONCE).send();
        c.disconnect();
        Mqtt5BlockingClient pub = Clients.hive(broker, "hive-resume-pub");
        pub.connect();
        pub.publishWith().topic("hive/resume").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("while away")).send();
        pub.disconnect();
        Mqtt5BlockingClient again = Clients.hive(broker, "hive-resume");
        try (Mqtt5Publishes publishes = again.publishes(MqttGlobalPublishFilter.ALL)) {
            Mqtt5ConnAck ack = again.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
            assertThat(ack.isSessionPresent()).isTrue();
            assertThat(text(receive(publishes))).isEqualTo("while away");
        }
        again.disconnect();
    }

    @Test
    void overlappingSubscriptionsDeliverOnceWithHighestQosAndAllIdentifiers() throws Exception {
        Mqtt5BlockingClient c = Clients.hive(broker, "hive-overlap");
        c.connect();
        try (Mqtt5Publishes publishes = c.publishes(MqttGlobalPublishFilter.ALL)) {
            c.subscribeWith().topicFilter("hive/overlap/#").qos(MqttQos.AT_MOST_ONCE).send();
            c.subscribeWith().topicFilter("hive/overlap/x").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5BlockingClient pub = Clients.hive(broker, "hive-overlap-pub");
            pub.connect();
            pub.publishWith().topic("hive/overlap/x").qos(MqttQos.EXACTLY_ONCE).payload(bytes("once")).send();
            Mqtt5Publish p = receive(publishes);
            assertThat(p.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE); // [MQTT-3.3.4-2]
            assertThat(publishes.receive(300, TimeUnit.MILLISECONDS)).as("only one copy").isEmpty();
            pub.disconnect();
        }
        c.disconnect();
    }

    @Test
    void subscriptionIdentifiersAreDelivered() throws Exception {
        // HiveMQ's client keeps the identifier internal; read it from the raw packet instead.
        try (io.vane.testkit.RawClient raw = io.vane.testkit.RawClient.open(broker)) {
            raw.connect(io.vane.protocol.MqttVersion.V5, "raw-subid");
            raw.send(new io.vane.protocol.packet.Subscribe(1,
                    List.of(io.vane.protocol.packet.Subscription.of("hive/subid/+", 0)),
                    io.vane.protocol.Properties.builder().addSubscriptionIdentifier(42).build()));
            raw.read(java.time.Duration.ofSeconds(5));
            broker.vane().broker().publish("hive/subid/a", "x", 0, false);
            io.vane.protocol.packet.Publish p =
                    (io.vane.protocol.packet.Publish) raw.read(java.time.Duration.ofSeconds(5));
            assertThat(p.properties().subscriptionIdentifiers()).containsExactly(42); // [MQTT-3.3.4-3]
        }
    }

    @Test
    void noLocalSuppressesOwnMessages() throws Exception {
        Mqtt5BlockingClient c = Clients.hive(broker, "hive-nolocal");
        c.connect();
        try (Mqtt5Publishes publishes = c.publishes(MqttGlobalPublishFilter.ALL)) {
            c.subscribeWith().topicFilter("hive/nolocal").noLocal(true).qos(MqttQos.AT_LEAST_ONCE).send();
            c.publishWith().topic("hive/nolocal").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("mine")).send();
            assertThat(publishes.receive(300, TimeUnit.MILLISECONDS)).isEmpty(); // [MQTT-3.8.3-3]
            broker.vane().broker().publish("hive/nolocal", "other", 1, false);
            assertThat(text(receive(publishes))).isEqualTo("other");
        }
        c.disconnect();
    }

    @Test
    void retainAsPublishedAndRetainHandling() throws Exception {
        broker.vane().broker().publish("hive/rap", "kept", 1, true);
        Mqtt5BlockingClient c = Clients.hive(broker, "hive-rap");
        c.connect();
        try (Mqtt5Publishes publishes = c.publishes(MqttGlobalPublishFilter.ALL)) {
            c.subscribeWith().topicFilter("hive/rap").retainAsPublished(true).qos(MqttQos.AT_LEAST_ONCE).send();
            assertThat(receive(publishes).isRetain()).isTrue(); // retained on subscribe
            broker.vane().broker().publish("hive/rap", "live", 1, true);
            Mqtt5Publish live = receive(publishes);
            assertThat(live.isRetain()).as("retain as published [MQTT-3.3.1-13]").isTrue();
            // Retain Handling 1: resubscribing to an existing subscription sends nothing.
            c.subscribeWith().topicFilter("hive/rap")
                    .retainHandling(com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST)
                    .qos(MqttQos.AT_LEAST_ONCE).send();
            assertThat(publishes.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
            // Retain Handling 2: never.
            c.subscribeWith().topicFilter("hive/+")
                    .retainHandling(com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling.DO_NOT_SEND)
                    .qos(MqttQos.AT_LEAST_ONCE).send();
            assertThat(publishes.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
        }
        c.disconnect();
    }

    @Test
    void sharedSubscriptionSplitsMessagesAmongMembers() throws Exception {
        Mqtt5BlockingClient a = Clients.hive(broker, "hive-share-a");
        Mqtt5BlockingClient b = Clients.hive(broker, "hive-share-b");
        a.connect();
        b.connect();
        try (Mqtt5Publishes pa = a.publishes(MqttGlobalPublishFilter.ALL);
                Mqtt5Publishes pb = b.publishes(MqttGlobalPublishFilter.ALL)) {
            a.subscribeWith().topicFilter("$share/g/hive/share").qos(MqttQos.AT_LEAST_ONCE).send();
            b.subscribeWith().topicFilter("$share/g/hive/share").qos(MqttQos.AT_LEAST_ONCE).send();
            for (int i = 0; i < 20; i++) {
                broker.vane().broker().publish("hive/share", "m" + i, 1, false);
            }
            List<String> got = new ArrayList<>();
            int fromA = 0;
            while (got.size() < 20) {
                Optional<Mqtt5Publish> m = pa.receive(50, TimeUnit.MILLISECONDS);
                if (m.isPresent()) {
                    got.add(text(m.get()));
                    fromA++;
                }
                Optional<Mqtt5Publish> n = pb.receive(50, TimeUnit.MILLISECONDS);
                n.ifPresent(x -> got.add(text(x)));
                if (m.isEmpty() && n.isEmpty() && pa.receive(2, TimeUnit.SECONDS).isEmpty()) {
                    break;
                }
            }
            assertThat(got).hasSize(20).doesNotHaveDuplicates();
            assertThat(fromA).isBetween(1, 19);
        }
        a.disconnect();
        b.disconnect();
    }

    @Test
    void messageExpiryDropsExpiredRetainedMessages() throws Exception {
        Mqtt5BlockingClient pub = Clients.hive(broker, "hive-expiry");
        pub.connect();
        pub.publishWith().topic("hive/expiry/short").retain(true).messageExpiryInterval(1).payload(bytes("soon")).send();
        pub.publishWith().topic("hive/expiry/long").retain(true).messageExpiryInterval(100).payload(bytes("later")).send();
        Thread.sleep(2100); // the expiry interval is in whole seconds
        Mqtt5BlockingClient sub = Clients.hive(broker, "hive-expiry-sub");
        sub.connect();
        try (Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("hive/expiry/+").send();
            Mqtt5Publish p = receive(publishes);
            assertThat(text(p)).isEqualTo("later");
            assertThat(p.getMessageExpiryInterval()).isPresent();
            assertThat(p.getMessageExpiryInterval().getAsLong()).isBetween(1L, 98L); // [MQTT-3.3.2-6]
            assertThat(publishes.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
        }
        sub.disconnect();
        pub.disconnect();
    }

    @Test
    void propertiesPassThroughUntouched() throws Exception {
        Mqtt5BlockingClient c = Clients.hive(broker, "hive-props");
        c.connect();
        try (Mqtt5Publishes publishes = c.publishes(MqttGlobalPublishFilter.ALL)) {
            c.subscribeWith().topicFilter("hive/props").send();
            c.publishWith().topic("hive/props").payload(bytes("{}")).contentType("application/json")
                    .responseTopic("hive/reply").correlationData(bytes("corr"))
                    .payloadFormatIndicator(com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator.UTF_8)
                    .userProperties().add("site", "garden").add("site", "roof").applyUserProperties().send();
            Mqtt5Publish p = receive(publishes);
            assertThat(p.getContentType().get().toString()).isEqualTo("application/json");
            assertThat(p.getResponseTopic().get().toString()).isEqualTo("hive/reply");
            assertThat(StandardCharsets.UTF_8.decode(p.getCorrelationData().get()).toString()).isEqualTo("corr");
            assertThat(p.getPayloadFormatIndicator()).isPresent();
            assertThat(p.getUserProperties().asList()).hasSize(2);
            assertThat(p.getUserProperties().asList().get(1).getValue().toString()).isEqualTo("roof");
        }
        c.disconnect();
    }

    @Test
    void pubackSaysNoMatchingSubscribers() {
        Mqtt5BlockingClient c = Clients.hive(broker, "hive-nomatch");
        c.connect();
        Mqtt5Qos1Result r = (Mqtt5Qos1Result) c.publishWith().topic("hive/nobody/listens")
                .qos(MqttQos.AT_LEAST_ONCE).payload(bytes("x")).send();
        assertThat(r.getPubAck().getReasonCode().getCode()).isEqualTo(0x10);
        c.disconnect();
    }

    @Test
    void invalidFilterClosesAsMalformedAndOthersGoOn() {
        Mqtt5BlockingClient c = Clients.hive(broker, "hive-badfilter");
        c.connect();
        try (io.vane.testkit.RawClient raw = io.vane.testkit.RawClient.open(broker)) {
            raw.connect(io.vane.protocol.MqttVersion.V5, "raw-badfilter");
            raw.send(new io.vane.protocol.packet.Subscribe(1,
                    List.of(io.vane.protocol.packet.Subscription.of("a/#/b", 0),
                            io.vane.protocol.packet.Subscription.of("a/+", 1)),
                    io.vane.protocol.Properties.NONE));
            // Not a filter at all [MQTT-4.7.1-1]: DISCONNECT 0x81, as Mosquitto closes it (ProtocolEdgesTest).
            io.vane.protocol.packet.Disconnect d = (io.vane.protocol.packet.Disconnect) raw.read(java.time.Duration.ofSeconds(5));
            assertThat(d.reasonCode()).isEqualTo(0x81);
        }
        Mqtt5SubAck ok = c.subscribeWith().topicFilter("fine/+").qos(MqttQos.AT_MOST_ONCE).send();
        assertThat(ok.getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_0);
        c.disconnect();
    }
}
