package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.packet.MqttPacket;
import io.vane.protocol.packet.PubAck;
import io.vane.protocol.packet.Publish;
import io.vane.protocol.packet.SubAck;
import io.vane.protocol.packet.Subscribe;
import io.vane.protocol.packet.Subscription;
import io.vane.testkit.RawClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new subscriber gets every retained message its filter matches [MQTT-3.3.1-9], even at QoS 0 and
 * even when they do not fit its connection's write buffer at once: the burst is paced by the
 * connection, not dropped. Against Vane as the launcher runs it; 2,000 retained messages of 1 KiB to a
 * QoS 0 subscriber with a 4 KiB receive buffer (the finding: 463 of 2,000 arrived).
 */
class RetainedBurstTest {
    private static final int RETAINED = 2_000;

    @TempDir
    Path dir;

    @Test
    void aNewQos0SubscriberReceivesAllTwoThousandRetainedMessages() throws Exception {
        int port = VaneProcess.freePort();
        try (VaneProcess vane = VaneProcess.start(dir, port,
                "listener " + port + " 127.0.0.1\nallow_anonymous true\n")) {
            byte[] payload = new byte[1024];
            try (RawClient pub = RawClient.open("127.0.0.1", port)) {
                pub.connect(MqttVersion.V3_1_1, "retainer");
                for (int i = 0; i < RETAINED; i++) {
                    pub.send(new Publish("rf/" + i, 1, true, false, 1 + i, Properties.NONE,
                            Unpooled.wrappedBuffer(payload)));
                    assertThat(pub.read(Duration.ofSeconds(5))).isInstanceOf(PubAck.class);
                }
            }
            for (MqttVersion v : List.of(MqttVersion.V3_1_1, MqttVersion.V5)) {
                try (RawClient sub = RawClient.openSlowReader("127.0.0.1", port, 4096)) {
                    sub.connect(v, "page-" + v);
                    sub.send(new Subscribe(1, List.of(Subscription.of("rf/#", 0)), Properties.NONE));
                    Set<String> topics = new HashSet<>();
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (topics.size() < RETAINED && System.nanoTime() < deadline) {
                        MqttPacket p = sub.read(Duration.ofSeconds(10));
                        if (p == null) {
                            break;
                        }
                        if (p instanceof Publish m) {
                            assertThat(m.retain()).isTrue();
                            topics.add(m.topic());
                            m.payload().release();
                        } else {
                            assertThat(p).isInstanceOf(SubAck.class);
                        }
                    }
                    System.out.println("RetainedBurstTest " + v + ": " + topics.size() + " of " + RETAINED
                            + " retained messages received");
                    assertThat(topics).as("retained messages received over " + v).hasSize(RETAINED);
                }
            }
            assertThat(vane.isAlive()).isTrue();
            assertThat(vane.output()).doesNotContain("Outgoing messages are being dropped");
        }
    }
}
