package io.vane.broker.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import io.vane.broker.Broker;
import io.vane.broker.connection.TakeoverEncodingTest.RecordingChannel;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.packet.ConnAck;
import io.vane.protocol.packet.Connect;
import io.vane.protocol.packet.Disconnect;
import io.vane.protocol.packet.Publish;
import io.vane.protocol.packet.SubAck;
import io.vane.protocol.packet.Subscribe;
import io.vane.protocol.packet.Subscription;
import io.vane.protocol.packet.Will;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A publisher paused for a subscriber that is behind holds the packets it had read; when it then closes,
 * they were received all the same and are delivered, in order (decision 0002). A DISCONNECT among them
 * still ends it normally, without its will.
 */
class PausedPublisherCloseTest {
    private final Broker broker = Broker.withDefaults();
    private final EventExecutor loop = new DefaultEventExecutor();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        broker.close();
    }

    private <T> T on(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    private RecordingChannel subscriber(String topic) throws Exception {
        RecordingChannel ch = new RecordingChannel(loop, null);
        ClientConnection sub = on(() -> broker.newConnection(ch));
        on(() -> {
            sub.packetReceived(new Connect(MqttVersion.V3_1_1, "behind", true, 60, null, null, null, Properties.NONE));
            sub.packetReceived(new Subscribe(1, List.of(Subscription.of(topic, 0)), Properties.NONE));
            return null;
        });
        assertThat(ch.await(p -> p instanceof SubAck)).isTrue();
        ch.behind = true; // every QoS 0 send leaves it above its mark
        return ch;
    }

    private static Publish publish(String topic, int n) {
        return new Publish(topic, 0, false, false, 0, Properties.NONE,
                Unpooled.wrappedBuffer(Integer.toString(n).getBytes(StandardCharsets.US_ASCII)));
    }

    private static long delivered(RecordingChannel ch) {
        return ch.packets.stream().filter(p -> p instanceof Publish).count() + ch.encoded.size();
    }

    @Test
    void packetsHeldWhilePausedAreDeliveredWhenThePublisherCloses() throws Exception {
        RecordingChannel sub = subscriber("paced/t");
        RecordingChannel pubChannel = new RecordingChannel(loop, null);
        ClientConnection pub = on(() -> broker.newConnection(pubChannel));
        on(() -> {
            pub.packetReceived(new Connect(MqttVersion.V3_1_1, "pub", true, 60, null, null, null, Properties.NONE));
            for (int i = 0; i < 10; i++) {
                pub.packetReceived(publish("paced/t", i));
            }
            return null;
        });
        assertThat(pubChannel.await(p -> p instanceof ConnAck)).isTrue();
        assertThat(pubChannel.reading).as("the publisher waits for the subscriber that is behind").isFalse();
        long before = on(() -> delivered(sub));
        assertThat(before).as("what was routed before the pause").isLessThan(10);

        on(() -> {
            pub.channelClosed();
            return null;
        });
        assertThat(on(() -> delivered(sub))).as("every PUBLISH received before the close").isEqualTo(10);
    }

    @Test
    void aDisconnectAmongTheHeldPacketsStillDiscardsTheWill() throws Exception {
        RecordingChannel sub = subscriber("paced/#");
        RecordingChannel pubChannel = new RecordingChannel(loop, null);
        ClientConnection pub = on(() -> broker.newConnection(pubChannel));
        Will will = new Will("paced/will", "gone".getBytes(StandardCharsets.US_ASCII), 0, false, Properties.NONE);
        on(() -> {
            pub.packetReceived(new Connect(MqttVersion.V3_1_1, "pub", true, 60, null, null, will, Properties.NONE));
            for (int i = 0; i < 5; i++) {
                pub.packetReceived(publish("paced/t", i));
            }
            pub.packetReceived(new Disconnect(0, Properties.NONE));
            return null;
        });
        assertThat(pubChannel.reading).isFalse();
        on(() -> {
            pub.channelClosed();
            return null;
        });
        assertThat(on(() -> delivered(sub))).as("the five messages, and no will").isEqualTo(5);
    }
}
