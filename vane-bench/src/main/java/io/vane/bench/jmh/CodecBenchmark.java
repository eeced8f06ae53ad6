package io.vane.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.codec.MqttDecoder;
import io.vane.protocol.codec.MqttEncoder;
import io.vane.protocol.packet.Connect;
import io.vane.protocol.packet.Publish;
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

/** PUBLISH encode and decode: the per-message cost on every connection. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
    @Param({"64", "2048"})
    public int payloadSize;

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private Publish publish;
    private ByteBuf encoded;
    private MqttDecoder decoder;

    @Setup
    public void setUp() {
        publish = new Publish("weather/loop", 0, false, false, 0, Properties.NONE,
                Unpooled.wrappedBuffer(new byte[payloadSize]));
        encoded = MqttEncoder.encode(Unpooled.buffer().alloc(), publish, MqttVersion.V3_1_1);
        decoder = new MqttDecoder(1 << 20);
        ByteBuf connect = MqttEncoder.encode(alloc, new Connect(MqttVersion.V3_1_1, "bench", true, 60, null, null,
                null, Properties.NONE), MqttVersion.V3_1_1);
        decoder.decode(connect);
        connect.release();
    }

    @Benchmark
    public int encodePublish() {
        ByteBuf b = MqttEncoder.encode(alloc, publish, MqttVersion.V3_1_1);
        int n = b.readableBytes();
        b.release();
        return n;
    }

    @Benchmark
    public Object decodePublish() {
        encoded.readerIndex(0);
        Publish p = (Publish) decoder.decode(encoded);
        p.payload().release();
        return p;
    }
}
