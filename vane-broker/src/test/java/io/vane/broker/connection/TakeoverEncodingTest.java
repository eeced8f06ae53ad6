package io.vane.broker.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import io.vane.broker.Broker;
import io.vane.broker.delivery.Framing;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.packet.ConnAck;
import io.vane.protocol.packet.Connect;
import io.vane.protocol.packet.Disconnect;
import io.vane.protocol.packet.MqttPacket;
import io.vane.protocol.packet.Publish;
import io.vane.protocol.packet.Subscribe;
import io.vane.protocol.packet.Subscription;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A fan-out routed while a session is being taken over: the bytes chosen for the old connection must
 * never reach the new one (docs/decisions/0001: each delivery carries the key its bytes were made for).
 */
class TakeoverEncodingTest {
    /** A framing of the test's own: two marker bytes before the packet. */
    static final Framing FRAMED = new Framing() {
        @Override
        public ByteBuf frame(ByteBuf packet) {
            return Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(new byte[] {(byte) 0xF0, 0x0F}), packet);
        }

        @Override
        public int headerLength(ByteBuf frame) {
            return 2;
        }
    };

    private final Broker broker = Broker.withDefaults();
    private final EventExecutor oldLoop = new DefaultEventExecutor();
    private final EventExecutor newLoop = new DefaultEventExecutor();

    @AfterEach
    void stop() {
        oldLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        newLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        broker.close();
    }

    @Test
    void aBatchRoutedForTheOldConnectionIsReEncodedForTheNewOne() throws Exception {
        RecordingChannel oldChannel = new RecordingChannel(oldLoop, null);
        ClientConnection old = on(oldLoop, () -> broker.newConnection(oldChannel));
        on(oldLoop, () -> {
            old.packetReceived(new Connect(MqttVersion.V3_1_1, "page", false, 60, null, null, null, Properties.NONE));
            old.packetReceived(new Subscribe(1, List.of(Subscription.of("weather/loop", 0)), Properties.NONE));
            return null;
        });
        assertThat(oldChannel.await(p -> p instanceof ConnAck)).isTrue();

        // Hold the old loop, then queue the takeover on it, then route: the batch carries the old key.
        CountDownLatch release = new CountDownLatch(1);
        oldLoop.execute(() -> awaitQuietly(release));
        RecordingChannel newChannel = new RecordingChannel(newLoop, FRAMED);
        ClientConnection fresh = on(newLoop, () -> broker.newConnection(newChannel));
        on(newLoop, () -> {
            fresh.packetReceived(new Connect(MqttVersion.V5, "page", false, 60, null, null, null, Properties.NONE));
            return null;
        });
        assertThat(broker.publish("weather/loop", "{\"outTemp_F\": \"50.1\"}", 0, false)).isEqualTo(1);
        release.countDown();

        assertThat(newChannel.await(p -> p instanceof Publish)).as("the new connection gets the message").isTrue();
        assertThat(newChannel.encoded).as("no bytes made for the 3.1.1 connection").isEmpty();
        assertThat(newChannel.closed).isFalse();
        assertThat(newChannel.packets).noneMatch(p -> p instanceof Disconnect);
        assertThat(oldChannel.packets).anyMatch(p -> p instanceof Disconnect || oldChannel.closed);
    }

    private static <T> T on(EventExecutor loop, java.util.concurrent.Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A channel that keeps what is written to it; its loop is the test's executor. */
    static final class RecordingChannel implements ClientChannel {
        final EventExecutor loop;
        final Framing framing;
        final List<MqttPacket> packets = new CopyOnWriteArrayList<>();
        final List<ByteBuf> encoded = new CopyOnWriteArrayList<>();
        volatile boolean closed;
        /** What {@link #isBehind} answers: a reader behind for the moment, so its publishers wait. */
        volatile boolean behind;
        volatile boolean reading = true;

        RecordingChannel(EventExecutor loop, Framing framing) {
            this.loop = loop;
            this.framing = framing;
        }

        boolean await(java.util.function.Predicate<MqttPacket> p) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                if (packets.stream().anyMatch(p)) {
                    return true;
                }
                Thread.onSpinWait();
                Thread.yield();
            }
            return false;
        }

        @Override
        public EventExecutor executor() {
            return loop;
        }

        @Override
        public void write(MqttPacket packet) {
            packets.add(packet);
        }

        @Override
        public void writeEncoded(ByteBuf packet) {
            encoded.add(packet);
        }

        @Override
        public Framing framing() {
            return framing;
        }

        @Override
        public void writeAndClose(MqttPacket packet) {
            packets.add(packet);
            closed = true;
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public boolean isWritable() {
            return true;
        }

        @Override
        public boolean isBehind() {
            return behind;
        }

        @Override
        public void setReading(boolean on) {
            reading = on;
        }

        @Override
        public void setVersion(MqttVersion version) {
        }

        @Override
        public void setKeepAlive(int seconds) {
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1:1";
        }

        @Override
        public int listenerPort() {
            return 1883;
        }
    }
}
