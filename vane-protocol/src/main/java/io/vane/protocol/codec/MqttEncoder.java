package io.vane.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.ReasonCode;
import io.vane.protocol.packet.Auth;
import io.vane.protocol.packet.ConnAck;
import io.vane.protocol.packet.Connect;
import io.vane.protocol.packet.Disconnect;
import io.vane.protocol.packet.MqttPacket;
import io.vane.protocol.packet.PubAck;
import io.vane.protocol.packet.PubComp;
import io.vane.protocol.packet.PubRec;
import io.vane.protocol.packet.PubRel;
import io.vane.protocol.packet.Publish;
import io.vane.protocol.packet.SubAck;
import io.vane.protocol.packet.Subscribe;
import io.vane.protocol.packet.Subscription;
import io.vane.protocol.packet.UnsubAck;
import io.vane.protocol.packet.Unsubscribe;
import io.vane.protocol.packet.Will;

/** Turns packets into bytes for a given protocol version. Stateless and thread-safe. */
public final class MqttEncoder {
    /** Payloads above this are attached to the encoded packet, not copied into it. */
    static final int COPY_LIMIT = 1024;

    private MqttEncoder() {
    }

    /**
     * Encodes {@code packet} into a new buffer from {@code alloc}. Does not release the packet: a
     * PUBLISH's payload keeps its reference count (large payloads are attached, not copied).
     */
    public static ByteBuf encode(ByteBufAllocator alloc, MqttPacket packet, MqttVersion version) {
        boolean v5 = version == MqttVersion.V5;
        if (packet instanceof Publish p) {
            return publish(alloc, p, v5);
        }
        int body = bodySize(packet, version);
        ByteBuf out = alloc.buffer(1 + VarInt.size(body) + body);
        out.writeByte(firstByte(packet));
        VarInt.write(body, out);
        writeBody(packet, version, out);
        return out;
    }

    /** The number of bytes {@link #encode} would produce, for checking a peer's Maximum Packet Size. */
    public static int encodedSize(MqttPacket packet, MqttVersion version) {
        int body = bodySize(packet, version);
        return 1 + VarInt.size(body) + body;
    }

    private static int firstByte(MqttPacket packet) {
        int type = packet.type().value() << 4;
        return switch (packet.type()) {
            case PUBREL, SUBSCRIBE, UNSUBSCRIBE -> type | 0b0010;
            case PUBLISH -> {
                Publish p = (Publish) packet;
                yield type | (p.dup() ? 0x08 : 0) | (p.qos() << 1) | (p.retain() ? 1 : 0);
            }
            default -> type;
        };
    }

    // ---- PUBLISH: the hot path ------------------------------------------------------------------

    private static ByteBuf publish(ByteBufAllocator alloc, Publish p, boolean v5) {
        int propsSize = v5 ? PropertiesCodec.size(p.properties()) : 0;
        int payload = p.payload().readableBytes();
        int header = Strings.size(p.topic()) + (p.qos() > 0 ? 2 : 0) + (v5 ? VarInt.size(propsSize) + propsSize : 0);
        int body = header + payload;
        int fixed = 1 + VarInt.size(body);
        boolean attach = payload > COPY_LIMIT;
        ByteBuf out = alloc.buffer(fixed + header + (attach ? 0 : payload));
        out.writeByte(firstByte(p));
        VarInt.write(body, out);
        Strings.write(p.topic(), out);
        if (p.qos() > 0) {
            out.writeShort(p.packetId());
        }
        if (v5) {
            PropertiesCodec.write(p.properties(), propsSize, out, PropertiesCodec.PUBLISH_ORDER);
        }
        if (!attach) {
            out.writeBytes(p.payload(), p.payload().readerIndex(), payload);
            return out;
        }
        CompositeByteBuf composite = alloc.compositeBuffer(2);
        composite.addComponents(true, out, p.payload().retainedDuplicate());
        return composite;
    }

    // ---- sizes ----------------------------------------------------------------------------------

    private static int propsWithLength(Properties p) {
        int n = PropertiesCodec.size(p);
        return VarInt.size(n) + n;
    }

    private static int bodySize(MqttPacket packet, MqttVersion version) {
        boolean v5 = version == MqttVersion.V5;
        return switch (packet.type()) {
            case CONNECT -> connectSize((Connect) packet);
            case CONNACK -> 2 + (v5 ? propsWithLength(((ConnAck) packet).properties()) : 0);
            case PUBLISH -> {
                Publish p = (Publish) packet;
                yield Strings.size(p.topic()) + (p.qos() > 0 ? 2 : 0) + (v5 ? propsWithLength(p.properties()) : 0)
                        + p.payload().readableBytes();
            }
            case PUBACK -> ackSize(((PubAck) packet).reasonCode(), ((PubAck) packet).properties(), v5);
            case PUBREC -> ackSize(((PubRec) packet).reasonCode(), ((PubRec) packet).properties(), v5);
            case PUBREL -> ackSize(((PubRel) packet).reasonCode(), ((PubRel) packet).properties(), v5);
            case PUBCOMP -> ackSize(((PubComp) packet).reasonCode(), ((PubComp) packet).properties(), v5);
            case SUBSCRIBE -> {
                Subscribe s = (Subscribe) packet;
                int n = 2 + (v5 ? propsWithLength(s.properties()) : 0);
                for (Subscription sub : s.subscriptions()) {
                    n += Strings.size(sub.filter()) + 1;
                }
                yield n;
            }
            case SUBACK -> {
                SubAck s = (SubAck) packet;
                yield 2 + (v5 ? propsWithLength(s.properties()) : 0) + s.reasonCodes().size();
            }
            case UNSUBSCRIBE -> {
                Unsubscribe u = (Unsubscribe) packet;
                int n = 2 + (v5 ? propsWithLength(u.properties()) : 0);
                for (String f : u.filters()) {
                    n += Strings.size(f);
                }
                yield n;
            }
            case UNSUBACK -> {
                UnsubAck u = (UnsubAck) packet;
                yield 2 + (v5 ? propsWithLength(u.properties()) + u.reasonCodes().size() : 0);
            }
            case PINGREQ, PINGRESP -> 0;
            case DISCONNECT -> {
                Disconnect d = (Disconnect) packet;
                if (!v5 || (d.reasonCode() == 0 && d.properties().isEmpty())) {
                    yield 0;
                }
                yield 1 + (d.properties().isEmpty() ? 0 : propsWithLength(d.properties()));
            }
            case AUTH -> {
                Auth a = (Auth) packet;
                if (a.reasonCode() == 0 && a.properties().isEmpty()) {
                    yield 0;
                }
                yield 1 + propsWithLength(a.properties());
            }
        };
    }

    /** 5.0 acks drop the reason code when it is 0 with no properties [MQTT-3.4.2.1]. */
    private static int ackSize(int reason, Properties props, boolean v5) {
        if (!v5 || (reason == 0 && props.isEmpty())) {
            return 2;
        }
        return props.isEmpty() ? 3 : 3 + propsWithLength(props);
    }

    private static int connectSize(Connect c) {
        boolean v5 = c.version() == MqttVersion.V5;
        int n = Strings.size(c.version().protocolName()) + 1 + 1 + 2;
        n += v5 ? propsWithLength(c.properties()) : 0;
        n += Strings.size(c.clientId());
        Will w = c.will();
        if (w != null) {
            n += v5 ? propsWithLength(w.properties()) : 0;
            n += Strings.size(w.topic()) + 2 + w.payload().length;
        }
        if (c.username() != null) {
            n += Strings.size(c.username());
        }
        if (c.password() != null) {
            n += 2 + c.password().length;
        }
        return n;
    }

    // ---- bodies ---------------------------------------------------------------------------------

    private static void writeBody(MqttPacket packet, MqttVersion version, ByteBuf out) {
        boolean v5 = version == MqttVersion.V5;
        switch (packet.type()) {
            case CONNECT -> writeConnect((Connect) packet, out);
            case CONNACK -> {
                ConnAck a = (ConnAck) packet;
                // MQTT 3.1 has no Session Present flag: its first CONNACK byte is reserved (0).
                out.writeByte(a.sessionPresent() && version != MqttVersion.V3_1 ? 1 : 0);
                out.writeByte(v5 ? a.reasonCode() : ReasonCode.toV3ConnAck(a.reasonCode()));
                if (v5) {
                    Properties p = a.properties();
                    PropertiesCodec.write(p, PropertiesCodec.size(p), out, PropertiesCodec.CONNACK_ORDER);
                }
            }
            case PUBACK -> writeAck(((PubAck) packet).packetId(), ((PubAck) packet).reasonCode(),
                    ((PubAck) packet).properties(), v5, out);
            case PUBREC -> writeAck(((PubRec) packet).packetId(), ((PubRec) packet).reasonCode(),
                    ((PubRec) packet).properties(), v5, out);
            case PUBREL -> writeAck(((PubRel) packet).packetId(), ((PubRel) packet).reasonCode(),
                    ((PubRel) packet).properties(), v5, out);
            case PUBCOMP -> writeAck(((PubComp) packet).packetId(), ((PubComp) packet).reasonCode(),
                    ((PubComp) packet).properties(), v5, out);
            case SUBSCRIBE -> {
                Subscribe s = (Subscribe) packet;
                out.writeShort(s.packetId());
                if (v5) {
                    writeProps(s.properties(), out);
                }
                for (Subscription sub : s.subscriptions()) {
                    Strings.write(sub.filter(), out);
                    int opts = sub.qos();
                    if (v5) {
                        opts |= (sub.noLocal() ? 0x04 : 0) | (sub.retainAsPublished() ? 0x08 : 0)
                                | (sub.retainHandling() << 4);
                    }
                    out.writeByte(opts);
                }
            }
            case SUBACK -> {
                SubAck s = (SubAck) packet;
                out.writeShort(s.packetId());
                if (v5) {
                    writeProps(s.properties(), out);
                }
                for (int code : s.reasonCodes()) {
                    // 3.1.1 knows only 0x80 for failure [MQTT-3.9.3-2].
                    out.writeByte(!v5 && code >= 0x80 ? 0x80 : code);
                }
            }
            case UNSUBSCRIBE -> {
                Unsubscribe u = (Unsubscribe) packet;
                out.writeShort(u.packetId());
                if (v5) {
                    writeProps(u.properties(), out);
                }
                for (String f : u.filters()) {
                    Strings.write(f, out);
                }
            }
            case UNSUBACK -> {
                UnsubAck u = (UnsubAck) packet;
                out.writeShort(u.packetId());
                if (v5) {
                    writeProps(u.properties(), out);
                    for (int code : u.reasonCodes()) {
                        out.writeByte(code);
                    }
                }
            }
            case PINGREQ, PINGRESP -> {
            }
            case DISCONNECT -> {
                Disconnect d = (Disconnect) packet;
                if (v5 && (d.reasonCode() != 0 || !d.properties().isEmpty())) {
                    out.writeByte(d.reasonCode());
                    if (!d.properties().isEmpty()) {
                        writeProps(d.properties(), out);
                    }
                }
            }
            case AUTH -> {
                Auth a = (Auth) packet;
                if (a.reasonCode() != 0 || !a.properties().isEmpty()) {
                    out.writeByte(a.reasonCode());
                    writeProps(a.properties(), out);
                }
            }
            case PUBLISH -> throw new IllegalStateException("PUBLISH is encoded separately");
        }
    }

    private static void writeAck(int id, int reason, Properties props, boolean v5, ByteBuf out) {
        out.writeShort(id);
        if (!v5 || (reason == 0 && props.isEmpty())) {
            return;
        }
        out.writeByte(reason);
        if (!props.isEmpty()) {
            writeProps(props, out);
        }
    }

    private static void writeProps(Properties p, ByteBuf out) {
        PropertiesCodec.write(p, PropertiesCodec.size(p), out);
    }

    private static void writeConnect(Connect c, ByteBuf out) {
        boolean v5 = c.version() == MqttVersion.V5;
        Strings.write(c.version().protocolName(), out);
        out.writeByte(c.version().level() | (c.bridge() && !v5 ? 0x80 : 0));
        Will w = c.will();
        int flags = (c.cleanStart() ? 0x02 : 0) | (c.username() != null ? 0x80 : 0) | (c.password() != null ? 0x40 : 0);
        if (w != null) {
            flags |= 0x04 | (w.qos() << 3) | (w.retain() ? 0x20 : 0);
        }
        out.writeByte(flags);
        out.writeShort(c.keepAlive());
        if (v5) {
            writeProps(c.properties(), out);
        }
        Strings.write(c.clientId(), out);
        if (w != null) {
            if (v5) {
                writeProps(w.properties(), out);
            }
            Strings.write(w.topic(), out);
            out.writeShort(w.payload().length);
            out.writeBytes(w.payload());
        }
        if (c.username() != null) {
            Strings.write(c.username(), out);
        }
        if (c.password() != null) {
            out.writeShort(c.password().length);
            out.writeBytes(c.password());
        }
    }
}
