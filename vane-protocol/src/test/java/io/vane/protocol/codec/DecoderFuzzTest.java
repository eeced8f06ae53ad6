package io.vane.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.packet.Auth;
import io.vane.protocol.packet.Connect;
import io.vane.protocol.packet.DecodeResult;
import io.vane.protocol.packet.Disconnect;
import io.vane.protocol.packet.MalformedPacket;
import io.vane.protocol.packet.MqttPacket;
import io.vane.protocol.packet.PingReq;
import io.vane.protocol.packet.PubAck;
import io.vane.protocol.packet.PubComp;
import io.vane.protocol.packet.PubRec;
import io.vane.protocol.packet.PubRel;
import io.vane.protocol.packet.Publish;
import io.vane.protocol.packet.Subscribe;
import io.vane.protocol.packet.Subscription;
import io.vane.protocol.packet.Unsubscribe;
import io.vane.protocol.packet.Will;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutation fuzzing of the server-side decoder: valid packets of every type a client sends, for every
 * protocol version, with bits flipped, bytes inserted, deleted or overwritten, lengths changed and
 * the stream cut. Whatever arrives, the decoder answers with a packet, a malformed-packet value or
 * "need more bytes", never an exception, never reads past what it was given, and anything it accepts
 * encodes again. The short form runs in the build; for a long run:
 * {@code mvn -B -pl vane-protocol -am verify -Dtest=DecoderFuzzTest -Dsurefire.failIfNoSpecifiedTests=false -Dvane.fuzz.iterations=5000000}.
 */
class DecoderFuzzTest {
    private static final int ITERATIONS = Integer.getInteger("vane.fuzz.iterations", 100_000);
    private static final long SEED = Long.getLong("vane.fuzz.seed", 20261202L);

    private static byte[] encode(MqttPacket p, MqttVersion v) {
        ByteBuf b = MqttEncoder.encode(ByteBufAllocator.DEFAULT, p, v);
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    private static List<byte[]> seeds(MqttVersion v) {
        boolean v5 = v == MqttVersion.V5;
        Properties connectProps = v5 ? Properties.builder().sessionExpiryInterval(300L).receiveMaximum(10)
                .maximumPacketSize(4096L).topicAliasMaximum(5).addUserProperty("k", "v").build() : Properties.NONE;
        Properties willProps = v5 ? Properties.builder().willDelayInterval(5L).contentType("text/plain").build()
                : Properties.NONE;
        Properties publishProps = v5 ? Properties.builder().messageExpiryInterval(60L).topicAlias(2)
                .responseTopic("r/t").correlationData(new byte[] {1, 2}).addUserProperty("a", "b").build()
                : Properties.NONE;
        Properties reason = v5 ? Properties.builder().reasonString("why").build() : Properties.NONE;
        List<MqttPacket> packets = new ArrayList<>(List.of(
                new Publish("weather/loop", 0, false, false, 0, publishProps,
                        Unpooled.wrappedBuffer("{\"outTemp_F\": \"50.0\"}".getBytes(StandardCharsets.UTF_8))),
                new Publish("a/b", 1, true, false, 7, publishProps, Unpooled.wrappedBuffer(new byte[] {1, 2, 3})),
                new Publish("a/€/c", 2, false, true, 65535, Properties.NONE, Unpooled.EMPTY_BUFFER),
                new PubAck(3), new PubRec(4), new PubRel(5), new PubComp(6),
                new Subscribe(9, List.of(Subscription.of("weather/#", 1), Subscription.of("$share/g/a/+", 2)),
                        v5 ? Properties.builder().addSubscriptionIdentifier(12).build() : Properties.NONE),
                new Unsubscribe(10, List.of("a/+", "#"), Properties.NONE),
                PingReq.INSTANCE,
                new Disconnect(v5 ? 0x04 : 0, reason)));
        if (v5) {
            packets.add(new Auth(0x18, Properties.builder().authenticationMethod("SCRAM")
                    .authenticationData(new byte[] {9}).build()));
        }
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(encode(new Connect(v, "fuzz-client", true, 60, "user", "pw".getBytes(StandardCharsets.UTF_8),
                new Will("last/will", "bye".getBytes(StandardCharsets.UTF_8), 1, true, willProps), connectProps), v));
        for (MqttPacket p : packets) {
            seeds.add(encode(p, v));
            if (p instanceof Publish pub) {
                pub.payload().release();
            }
        }
        return seeds;
    }

    private static byte[] mutate(byte[] in, Random r) {
        byte[] b = in.clone();
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits && b.length > 0; e++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(7)) {
                case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[at] = (byte) r.nextInt(256);
                case 2 -> b[at] = (byte) (r.nextBoolean() ? 0xFF : 0x00);
                case 3 -> { // delete a byte
                    byte[] s = new byte[b.length - 1];
                    System.arraycopy(b, 0, s, 0, at);
                    System.arraycopy(b, at + 1, s, at, b.length - at - 1);
                    b = s;
                }
                case 4 -> { // insert a byte
                    byte[] s = new byte[b.length + 1];
                    System.arraycopy(b, 0, s, 0, at);
                    s[at] = (byte) r.nextInt(256);
                    System.arraycopy(b, at, s, at + 1, b.length - at);
                    b = s;
                }
                case 5 -> b = java.util.Arrays.copyOf(b, at); // cut the stream
                default -> { // change the remaining length
                    if (b.length > 1) {
                        b[1] = (byte) r.nextInt(256);
                    }
                }
            }
        }
        return b;
    }

    @Test
    void mutatedPacketsNeverThrowAndNeverReadPastTheirInput() {
        Random r = new Random(SEED);
        MqttVersion[] versions = MqttVersion.values();
        List<List<byte[]>> seedsByVersion = new ArrayList<>();
        for (MqttVersion v : versions) {
            seedsByVersion.add(seeds(v));
        }
        int accepted = 0;
        int malformed = 0;
        int incomplete = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            int vi = r.nextInt(versions.length);
            List<byte[]> seeds = seedsByVersion.get(vi);
            MqttDecoder decoder = new MqttDecoder(1 << 16);
            // The CONNECT first (mutated one time in four), then one to three mutated packets.
            ByteBuf stream = Unpooled.buffer();
            stream.writeBytes(r.nextInt(4) == 0 ? mutate(seeds.get(0), r) : seeds.get(0));
            int n = 1 + r.nextInt(3);
            for (int k = 0; k < n; k++) {
                stream.writeBytes(mutate(seeds.get(r.nextInt(seeds.size())), r));
            }
            int length = stream.readableBytes();
            try {
                while (true) {
                    int before = stream.readerIndex();
                    DecodeResult result = decoder.decode(stream);
                    assertThat(stream.readerIndex()).as("reads within its input").isLessThanOrEqualTo(length);
                    if (result == null) {
                        assertThat(stream.readerIndex()).as("needs more: nothing consumed").isEqualTo(before);
                        incomplete++;
                        break;
                    }
                    if (result instanceof MalformedPacket bad) {
                        assertThat(bad.reasonCode()).isGreaterThanOrEqualTo(0x80);
                        malformed++;
                        break;
                    }
                    MqttPacket p = (MqttPacket) result;
                    assertThat(stream.readerIndex()).as("a packet consumes bytes").isGreaterThan(before);
                    // What the decoder accepts, the encoder can write again.
                    MqttVersion v = decoder.version() != null ? decoder.version() : versions[vi];
                    MqttEncoder.encode(ByteBufAllocator.DEFAULT, p, v).release();
                    if (p instanceof Publish pub) {
                        pub.payload().release();
                    }
                    accepted++;
                }
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("iteration " + i + " (seed " + SEED + ") on "
                        + ByteBufUtil.hexDump(stream, 0, Math.min(length, 64)) + ": " + e, e);
            } finally {
                stream.release();
            }
        }
        System.out.printf("DecoderFuzzTest: %d iterations, %d packets accepted, %d malformed, %d incomplete%n",
                ITERATIONS, accepted, malformed, incomplete);
        assertThat(malformed).as("the mutations reach the malformed paths").isPositive();
        assertThat(accepted).isPositive();
    }
}
