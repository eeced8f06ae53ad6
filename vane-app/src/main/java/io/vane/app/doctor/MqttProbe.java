package io.vane.app.doctor;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.PacketType;
import io.vane.protocol.Properties;
import io.vane.protocol.codec.MqttDecoder;
import io.vane.protocol.codec.MqttEncoder;
import io.vane.protocol.packet.ConnAck;
import io.vane.protocol.packet.Connect;
import io.vane.protocol.packet.DecodeResult;
import io.vane.protocol.packet.MalformedPacket;
import io.vane.protocol.packet.MqttPacket;
import io.vane.protocol.packet.PubAck;
import io.vane.protocol.packet.Publish;
import io.vane.protocol.packet.SubAck;
import io.vane.protocol.packet.Subscribe;
import io.vane.protocol.packet.Subscription;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * A minimal blocking MQTT 5 client for the doctor's probes, on Vane's own codec (vane-app has no MQTT
 * client library in its main scope). MQTT 5 because only 5.0 says why a publish was refused: a PUBACK
 * with reason code 0x87 (Not authorized), where 3.1.1 brokers acknowledge and drop it silently.
 * One thread uses an instance.
 */
final class MqttProbe implements AutoCloseable {

    /** A message that arrived, copied out of the codec's buffers. */
    record Message(String topic, boolean retained, byte[] payload, long receivedAtMillis) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final Wire wire;
    private final Duration timeout;
    private final MqttDecoder decoder = new MqttDecoder(16 * 1024 * 1024);
    private final ByteBuf in = Unpooled.buffer();
    private final Deque<Message> messages = new ArrayDeque<>();
    private int nextPacketId = 1;

    MqttProbe(Wire wire, Duration timeout) {
        this.wire = wire;
        this.timeout = timeout;
        decoder.setVersion(MqttVersion.V5); // we read the server's packets, never a CONNECT
    }

    /** Sends CONNECT and returns the CONNACK's reason code (0 = accepted), or -1 when none came in time. */
    int connect(String username, String password) throws IOException {
        String id = "vane-doctor-" + Long.toHexString(System.nanoTime());
        send(new Connect(MqttVersion.V5, id, true, 30, username,
                password == null ? null : password.getBytes(StandardCharsets.UTF_8), null, Properties.NONE));
        MqttPacket p = await(PacketType.CONNACK);
        return p == null ? -1 : ((ConnAck) p).reasonCode();
    }

    /** Publishes at QoS 1 and returns the PUBACK's reason code (0 or 0x10 = accepted), or -1 on no answer. */
    int publish(String topic, String payload) throws IOException {
        int id = packetId();
        send(new Publish(topic, 1, false, false, id, Properties.NONE,
                Unpooled.wrappedBuffer(payload.getBytes(StandardCharsets.UTF_8))));
        MqttPacket p = await(PacketType.PUBACK);
        return p == null ? -1 : ((PubAck) p).reasonCode();
    }

    /** Subscribes at QoS 0 and returns the SUBACK's code for the filter (0x80 and up = refused), or -1. */
    int subscribe(String filter) throws IOException {
        send(new Subscribe(packetId(), List.of(Subscription.of(filter, 0)), Properties.NONE));
        MqttPacket p = await(PacketType.SUBACK);
        return p == null ? -1 : ((SubAck) p).reasonCodes().get(0);
    }

    /** The next message that arrives within {@code wait}, or null. */
    Message nextMessage(Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (messages.isEmpty()) {
            if (decodeOne() != null) {
                continue; // a whole packet was buffered already
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || !readOnce(Duration.ofNanos(left))) {
                break;
            }
        }
        return messages.poll();
    }

    private int packetId() {
        int id = nextPacketId;
        nextPacketId = nextPacketId == 0xFFFF ? 1 : nextPacketId + 1;
        return id;
    }

    private void send(MqttPacket packet) throws IOException {
        ByteBuf out = MqttEncoder.encode(ByteBufAllocator.DEFAULT, packet, MqttVersion.V5);
        try {
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            wire.write(bytes);
        } finally {
            out.release();
        }
    }

    /** Reads until a packet of {@code type} arrives (keeping PUBLISHes met on the way), or the timeout. */
    private MqttPacket await(PacketType type) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            MqttPacket p = decodeOne();
            if (p != null && p.type() == type) {
                return p;
            }
            if (p != null) {
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || !readOnce(Duration.ofNanos(left))) {
                return null;
            }
        }
    }

    /** Reads one chunk into the buffer and decodes what it completes; false on timeout. */
    private boolean readOnce(Duration wait) throws IOException {
        byte[] chunk = wire.read(wait);
        if (chunk == null) {
            return false;
        }
        in.writeBytes(chunk);
        return true;
    }

    /** The next complete packet in the buffer, PUBLISHes copied into {@link #messages}; null when none. */
    private MqttPacket decodeOne() throws IOException {
        DecodeResult r = decoder.decode(in);
        in.discardReadBytes();
        if (r == null) {
            return null;
        }
        if (r instanceof MalformedPacket m) {
            throw new IOException("the broker sent a malformed packet: " + m);
        }
        MqttPacket p = (MqttPacket) r;
        if (p instanceof Publish pub) {
            byte[] payload = new byte[pub.payload().readableBytes()];
            pub.payload().getBytes(pub.payload().readerIndex(), payload);
            messages.add(new Message(pub.topic(), pub.retain(), payload, System.currentTimeMillis()));
            ReferenceCountUtil.release(pub.payload());
            if (pub.qos() > 0) {
                send(new PubAck(pub.packetId()));
            }
        }
        return p;
    }

    @Override
    public void close() {
        try {
            wire.write(new byte[] {(byte) 0xE0, 0}); // DISCONNECT, normal: no will, no error logged
        } catch (IOException ignored) {
            // the broker may already have closed it
        }
        wire.close();
        in.release();
    }
}
