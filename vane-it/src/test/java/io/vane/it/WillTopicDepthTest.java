package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.ReasonCode;
import io.vane.protocol.packet.ConnAck;
import io.vane.protocol.packet.Connect;
import io.vane.protocol.packet.Will;
import io.vane.testkit.BrokerFixture;
import io.vane.testkit.RawClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A will is a PUBLISH waiting to happen: its topic gets the same depth limit, checked at CONNECT. */
class WillTopicDepthTest {

    private static Connect withWill(MqttVersion v, String topic) {
        return new Connect(v, "will-depth-" + v, true, 60, null, null,
                new Will(topic, "gone".getBytes(), 0, false, Properties.NONE), Properties.NONE);
    }

    @Test
    void aWillTopicDeeperThanMaxTopicLevelsIsRefused() {
        String deep = "w/".repeat(300) + "w";
        try (BrokerFixture broker = BrokerFixture.start()) {
            for (MqttVersion v : new MqttVersion[] {MqttVersion.V5, MqttVersion.V3_1_1}) {
                try (RawClient c = RawClient.open(broker)) {
                    c.send(withWill(v, deep));
                    ConnAck ack = (ConnAck) c.read(Duration.ofSeconds(5));
                    assertThat(ack.reasonCode()).isEqualTo(v == MqttVersion.V5 ? ReasonCode.TOPIC_NAME_INVALID
                            : ReasonCode.V3_SERVER_UNAVAILABLE);
                    assertThat(c.awaitClosed(Duration.ofSeconds(5))).isTrue();
                }
                try (RawClient c = RawClient.open(broker)) {
                    c.send(withWill(v, "w/ok"));
                    assertThat(((ConnAck) c.read(Duration.ofSeconds(5))).reasonCode()).isZero();
                }
            }
        }
    }
}
