package io.vane.it.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** HiveMQ MQTT Client over its WebSocket transport, 3.1.1 and 5.0. */
class HiveMqWebSocketTest {
    private WsBroker broker;

    @BeforeEach
    void start() {
        broker = new WsBroker();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private Mqtt3BlockingClient v3(String id) {
        Mqtt3BlockingClient c = Mqtt3Client.builder().identifier(id).serverHost("127.0.0.1")
                .serverPort(broker.wsPort()).webSocketConfig().serverPath("mqtt").applyWebSocketConfig()
                .buildBlocking();
        c.connect();
        return c;
    }

    private Mqtt5BlockingClient v5(String id) {
        Mqtt5BlockingClient c = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1")
                .serverPort(broker.wsPort()).webSocketConfig().serverPath("mqtt").applyWebSocketConfig()
                .buildBlocking();
        c.connect();
        return c;
    }

    private static String text(Optional<java.nio.ByteBuffer> payload) {
        return StandardCharsets.UTF_8.decode(payload.orElseThrow()).toString();
    }

    @ParameterizedTest
    @EnumSource(MqttQos.class)
    void v311PublishSubscribe(MqttQos qos) throws Exception {
        Mqtt3BlockingClient sub = v3("hv3-sub-" + qos);
        Mqtt3BlockingClient pub = v3("hv3-pub-" + qos);
        try (Mqtt3BlockingClient.Mqtt3Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("it/hv3/" + qos.getCode()).qos(qos).send();
            for (int i = 0; i < 10; i++) {
                pub.publishWith().topic("it/hv3/" + qos.getCode()).qos(qos).payload(("m" + i).getBytes()).send();
            }
            for (int i = 0; i < 10; i++) {
                Mqtt3Publish p = publishes.receive(5, TimeUnit.SECONDS).orElseThrow();
                assertThat(text(p.getPayload())).isEqualTo("m" + i);
                assertThat(p.getQos()).isEqualTo(qos);
            }
        }
        pub.disconnect();
        sub.disconnect();
    }

    @ParameterizedTest
    @EnumSource(MqttQos.class)
    void v5PublishSubscribe(MqttQos qos) throws Exception {
        Mqtt5BlockingClient sub = v5("hv5-sub-" + qos);
        Mqtt5BlockingClient pub = v5("hv5-pub-" + qos);
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("it/hv5/" + qos.getCode()).qos(qos).send();
            for (int i = 0; i < 10; i++) {
                pub.publishWith().topic("it/hv5/" + qos.getCode()).qos(qos).payload(("m" + i).getBytes()).send();
            }
            for (int i = 0; i < 10; i++) {
                Mqtt5Publish p = publishes.receive(5, TimeUnit.SECONDS).orElseThrow();
                assertThat(text(p.getPayload())).isEqualTo("m" + i);
                assertThat(p.getQos()).isEqualTo(qos);
            }
        }
        pub.disconnect();
        sub.disconnect();
    }

    @Test
    void v311Retained() throws Exception {
        Mqtt3BlockingClient pub = v3("hv3-retainer");
        pub.publishWith().topic("it/hv3/retained").qos(MqttQos.AT_LEAST_ONCE).retain(true).payload("kept".getBytes())
                .send();
        pub.disconnect();
        Mqtt3BlockingClient sub = v3("hv3-late");
        try (Mqtt3BlockingClient.Mqtt3Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("it/hv3/retained").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt3Publish p = publishes.receive(5, TimeUnit.SECONDS).orElseThrow();
            assertThat(p.isRetain()).isTrue();
            assertThat(text(p.getPayload())).isEqualTo("kept");
        }
        sub.disconnect();
    }

    @Test
    void v5RetainedAndWill() throws Exception {
        Mqtt5BlockingClient pub = v5("hv5-retainer");
        pub.publishWith().topic("it/hv5/retained").qos(MqttQos.AT_LEAST_ONCE).retain(true).payload("kept".getBytes())
                .send();
        pub.disconnect();
        Mqtt5BlockingClient sub = v5("hv5-watcher");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("it/hv5/#").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5Publish retained = publishes.receive(5, TimeUnit.SECONDS).orElseThrow();
            assertThat(retained.isRetain()).isTrue();
            assertThat(text(retained.getPayload())).isEqualTo("kept");

            Mqtt5BlockingClient mortal = Mqtt5Client.builder().identifier("hv5-mortal").serverHost("127.0.0.1")
                    .serverPort(broker.wsPort()).webSocketConfig().serverPath("mqtt").applyWebSocketConfig()
                    .willPublish().topic("it/hv5/will").qos(MqttQos.AT_LEAST_ONCE).payload("gone".getBytes())
                    .applyWillPublish().buildBlocking();
            mortal.connect();
            // 5.0 section 3.14.2.1: reason 0x04 ends the connection normally but still publishes the will.
            mortal.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();
            Mqtt5Publish will = publishes.receive(5, TimeUnit.SECONDS).orElseThrow();
            assertThat(will.getTopic().toString()).isEqualTo("it/hv5/will");
            assertThat(text(will.getPayload())).isEqualTo("gone");
        }
        sub.disconnect();
    }
}
