package io.vane.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.vane.broker.BrokerStats;
import io.vane.broker.Message;
import io.vane.broker.auth.Authorizer;
import io.vane.broker.persistence.SessionJournal;
import io.vane.broker.routing.Router;
import io.vane.broker.delivery.Outgoing;
import io.vane.broker.session.QueueLimits;
import io.vane.broker.session.Session;
import io.vane.broker.session.SessionLink;
import io.vane.broker.session.SubscriptionRecord;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Routing one QoS 0 message to N online subscribers, up to the bytes each connection would write:
 * match, per-session delivery, and the shared encoding (one encode, N retained duplicates).
 * The connections only count bytes, so this measures the broker's side of a fan-out.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FanOutBenchmark {
    @Param({"100", "1000"})
    public int subscribers;

    private Router router;
    private final Message message = Message.of("weather/loop", new byte[64], 0, false);
    long bytes;

    /** A connection that releases what it is given, as a socket write would. */
    final class CountingLink implements SessionLink {
        @Override
        public boolean sendPublish(Outgoing out, int packetId, boolean dup) {
            ByteBuf b = out.encoded();
            if (b != null) {
                bytes += b.readableBytes();
                b.release();
            }
            return true;
        }

        @Override
        public void sendPubRel(int packetId) {
        }

        @Override
        public boolean isWritable() {
            return true;
        }

        @Override
        public int sendWindow() {
            return 20;
        }

        @Override
        public io.vane.broker.delivery.EncodingKey encodingKey() {
            return KEY;
        }

        @Override
        public void takenOver() {
        }

        @Override
        public void disconnect(int reasonCode, String reason) {
        }
    }

    private static final io.vane.broker.delivery.EncodingKey KEY =
            io.vane.broker.delivery.EncodingKey.of(io.vane.protocol.MqttVersion.V3_1_1, null);

    @Setup
    public void setUp() {
        router = new Router(Authorizer.ALLOW_ALL);
        BrokerStats stats = new BrokerStats();
        EventExecutor loop = ImmediateEventExecutor.INSTANCE;
        for (int i = 0; i < subscribers; i++) {
            Session s = new Session("browser-" + i, loop, new QueueLimits(1000, 0, false), stats,
                    System::currentTimeMillis, SessionJournal.IN_MEMORY);
            s.attach(new CountingLink());
            router.subscribe(s, new SubscriptionRecord("weather/loop", "weather/loop", null, 0, false, false, 0, 0));
        }
    }

    @Benchmark
    public int routeToAll() {
        return router.route(message);
    }
}
