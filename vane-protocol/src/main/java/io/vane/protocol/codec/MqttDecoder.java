package io.vane.protocol.codec;

import static io.vane.protocol.codec.Malformed.malformed;
import static io.vane.protocol.codec.Malformed.protocolError;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.PacketType;
import io.vane.protocol.Properties;
import io.vane.protocol.ReasonCode;
import io.vane.protocol.packet.Auth;
import io.vane.protocol.packet.ConnAck;
import io.vane.protocol.packet.Connect;
import io.vane.protocol.packet.DecodeResult;
import io.vane.protocol.packet.Disconnect;
import io.vane.protocol.packet.MalformedPacket;
import io.vane.protocol.packet.MqttPacket;
import io.vane.protocol.packet.PingReq;
import io.vane.protocol.packet.PingResp;
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
import java.util.ArrayList;
import java.util.List;

/**
 * Turns bytes into packets for one connection. Not thread-safe: owned by the connection's event loop.
 *
 * <p>Before CONNECT the version is unknown and only a CONNECT is accepted [MQTT-3.1.0-1]; decoding a
 * CONNECT fixes the version for the rest of the connection. Bad input never throws: it comes back as
 * a {@link MalformedPacket} naming the reason code and the spec statement.
 */
public final class MqttDecoder {
    /**
     * From this many payload bytes on, a broker's decoder hands over a retained slice of the input
     * buffer instead of a copy, so the payload is held once until the broker decides to keep it
     * (docs/decisions/0006-size-limits.md). Whoever takes the {@link Publish} releases its payload.
     */
    public static final int SLICE_PAYLOAD_FROM = 16 * 1024;
    private int maximumPacketSize;
    private MqttVersion version;
    /** A broker's decoder reads what clients send; a client's reads what brokers send. */
    private boolean clientSide;

    public MqttDecoder(int maximumPacketSize) {
        this.maximumPacketSize = maximumPacketSize;
    }

    /** The version fixed by the CONNECT, or null before it. */
    public MqttVersion version() {
        return version;
    }

    /**
     * Makes this a client's decoder, which learns the version from the CONNECT it sent and accepts what
     * only a server may send (e.g. Subscription Identifiers in PUBLISH).
     */
    public void setVersion(MqttVersion version) {
        this.version = version;
        this.clientSide = true;
    }

    public void setMaximumPacketSize(int maximumPacketSize) {
        this.maximumPacketSize = maximumPacketSize;
    }

    /**
     * Decodes one packet when {@code in} holds all of it; returns null, with the reader index
     * unchanged, when more bytes are needed. A packet whose Remaining Length makes it larger than the
     * maximum is refused from its fixed header alone, before its body is buffered.
     */
    public DecodeResult decode(ByteBuf in) {
        int start = in.readerIndex();
        int available = in.readableBytes();
        if (available < 2) {
            return null;
        }
        int first = in.getUnsignedByte(start);
        PacketType type = PacketType.of(first >> 4);
        int remaining = 0;
        int lengthBytes = 0;
        while (true) {
            if (lengthBytes == 4) {
                return new MalformedPacket(type, ReasonCode.MALFORMED_PACKET, "MQTT-1.5.5-1",
                        "remaining length longer than 4 bytes");
            }
            if (1 + lengthBytes >= available) {
                return null;
            }
            int b = in.getUnsignedByte(start + 1 + lengthBytes);
            remaining |= (b & 0x7F) << (7 * lengthBytes);
            lengthBytes++;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        if (type == null) {
            return new MalformedPacket(null, ReasonCode.MALFORMED_PACKET, "MQTT-2.1.2-?", "reserved packet type 0");
        }
        long total = 1L + lengthBytes + remaining;
        if (total > maximumPacketSize) {
            return new MalformedPacket(type, ReasonCode.PACKET_TOO_LARGE, "MQTT-3.1.2-24",
                    "packet of " + total + " bytes exceeds the maximum packet size of " + maximumPacketSize
                    + " bytes (max_packet_size)");
        }
        if (version == null && type != PacketType.CONNECT) {
            return new MalformedPacket(type, ReasonCode.PROTOCOL_ERROR, "MQTT-3.1.0-1",
                    "first packet is " + type + ", not CONNECT");
        }
        if (available < total) {
            return null;
        }
        in.skipBytes(1 + lengthBytes);
        ByteBuf body = in.readSlice(remaining);
        try {
            MqttPacket packet = decodeBody(type, first & 0x0F, body);
            if (body.isReadable()) {
                release(packet);
                throw malformed("MQTT-2.1.4-?", type + " has " + body.readableBytes() + " unexpected bytes at its end");
            }
            return packet;
        } catch (Malformed m) {
            return m.toPacket(type);
        } catch (IndexOutOfBoundsException e) {
            return new MalformedPacket(type, ReasonCode.MALFORMED_PACKET, "", type + " is truncated");
        }
    }

    private static void release(MqttPacket p) {
        if (p instanceof Publish pub) {
            pub.payload().release();
        }
    }

    private MqttPacket decodeBody(PacketType type, int flags, ByteBuf body) {
        checkFlags(type, flags);
        return switch (type) {
            case CONNECT -> connect(body);
            case CONNACK -> connAck(body);
            case PUBLISH -> publish(flags, body);
            case PUBACK -> new PubAck(packetId(body), reason(body), props(body, 4));
            case PUBREC -> new PubRec(packetId(body), reason(body), props(body, 5));
            case PUBREL -> new PubRel(packetId(body), reason(body), props(body, 6));
            case PUBCOMP -> new PubComp(packetId(body), reason(body), props(body, 7));
            case SUBSCRIBE -> subscribe(body);
            case SUBACK -> subAck(body);
            case UNSUBSCRIBE -> unsubscribe(body);
            case UNSUBACK -> unsubAck(body);
            case PINGREQ -> PingReq.INSTANCE;
            case PINGRESP -> PingResp.INSTANCE;
            case DISCONNECT -> disconnect(body);
            case AUTH -> auth(body);
        };
    }

    /** Reserved fixed-header flags (3.1.1 [MQTT-2.2.2-1], [MQTT-2.2.2-2]; 5.0 [MQTT-2.1.3-1]). */
    private void checkFlags(PacketType type, int flags) {
        int expected = switch (type) {
            case PUBLISH -> -1;
            case PUBREL, SUBSCRIBE, UNSUBSCRIBE -> 0b0010;
            default -> 0;
        };
        if (expected >= 0 && flags != expected) {
            throw malformed("MQTT-2.2.2-2", String.format("%s has reserved flags 0x%X, must be 0x%X", type, flags,
                    expected));
        }
        if (type == PacketType.AUTH && version != MqttVersion.V5) {
            throw malformed("MQTT-2.2.1-?", "AUTH exists in MQTT 5.0 only");
        }
    }

    private boolean v5() {
        return version == MqttVersion.V5;
    }

    private MqttPacket connect(ByteBuf body) {
        String name = Strings.read(body);
        if (!body.isReadable()) {
            throw malformed("MQTT-3.1.2-1", "CONNECT is truncated after the protocol name");
        }
        int level = body.readUnsignedByte();
        int raw = level;
        // Mosquitto's bridges set the top bit on 3.1 and 3.1.1 (try_private); 5.0 bridges use No Local.
        boolean bridge = (level == 0x83 || level == 0x84);
        if (bridge) {
            level &= 0x7F;
        }
        MqttVersion v;
        if (name.equals("MQIsdp") && level == 3) {
            v = MqttVersion.V3_1;
        } else if (name.equals("MQTT") && (level == 4 || (level == 5 && !bridge))) {
            v = MqttVersion.ofLevel(level);
        } else if (name.equals("MQTT") || name.equals("MQIsdp")) {
            throw new Malformed(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, "MQTT-3.1.2-2",
                    "unsupported protocol level " + raw + " for '" + name + "'");
        } else {
            throw malformed("MQTT-3.1.2-1", "unknown protocol name '" + name + "'");
        }
        if (version == null) {
            version = v;
        }
        if (!body.isReadable()) {
            throw malformed("MQTT-3.1.2-?", "CONNECT is truncated before its flags");
        }
        int flags = body.readUnsignedByte();
        if ((flags & 0x01) != 0) {
            throw malformed("MQTT-3.1.2-3", "CONNECT reserved flag is set");
        }
        boolean cleanStart = (flags & 0x02) != 0;
        boolean willFlag = (flags & 0x04) != 0;
        int willQos = (flags >> 3) & 0x03;
        boolean willRetain = (flags & 0x20) != 0;
        boolean passwordFlag = (flags & 0x40) != 0;
        boolean usernameFlag = (flags & 0x80) != 0;
        if (!willFlag && willQos != 0) {
            throw malformed("MQTT-3.1.2-11", "Will QoS set without the Will Flag");
        }
        if (!willFlag && willRetain) {
            throw malformed("MQTT-3.1.2-13", "Will Retain set without the Will Flag");
        }
        if (willQos == 3) {
            throw malformed("MQTT-3.1.2-14", "Will QoS 3");
        }
        if (v != MqttVersion.V5 && passwordFlag && !usernameFlag) {
            throw malformed("MQTT-3.1.2-22", "password without a user name");
        }
        int keepAlive = body.readUnsignedShort();
        Properties props = v == MqttVersion.V5 ? PropertiesCodec.read(body, 1) : Properties.NONE;
        String clientId = Strings.read(body);
        Will will = null;
        if (willFlag) {
            Properties willProps = v == MqttVersion.V5 ? PropertiesCodec.read(body, PropertiesCodec.WILL)
                    : Properties.NONE;
            String topic = Strings.read(body);
            checkTopicName(topic, "MQTT-3.1.3-?");
            if (topic.isEmpty()) {
                throw malformed("MQTT-4.7.3-1", "empty will topic");
            }
            byte[] payload = Strings.readBinary(body);
            will = new Will(topic, payload, willQos, willRetain, willProps);
        }
        String username = usernameFlag ? Strings.read(body) : null;
        byte[] password = passwordFlag ? Strings.readBinary(body) : null;
        return new Connect(v, clientId, cleanStart, keepAlive, username, password, will, props, bridge);
    }

    private MqttPacket connAck(ByteBuf body) {
        int ackFlags = body.readUnsignedByte();
        if ((ackFlags & 0xFE) != 0) {
            throw malformed("MQTT-3.2.2-1", "CONNACK reserved flags set");
        }
        int code = body.readUnsignedByte();
        Properties props = v5() ? PropertiesCodec.read(body, 2) : Properties.NONE;
        return new ConnAck((ackFlags & 1) != 0, code, props);
    }

    private MqttPacket publish(int flags, ByteBuf body) {
        int qos = (flags >> 1) & 0x03;
        boolean dup = (flags & 0x08) != 0;
        boolean retain = (flags & 0x01) != 0;
        if (qos == 3) {
            throw malformed("MQTT-3.3.1-4", "PUBLISH with QoS 3");
        }
        if (qos == 0 && dup) {
            throw malformed("MQTT-3.3.1-2", "DUP set on a QoS 0 PUBLISH");
        }
        String topic = Strings.read(body);
        int packetId = 0;
        if (qos > 0) {
            packetId = packetId(body);
        }
        Properties props = v5() ? PropertiesCodec.read(body, 3) : Properties.NONE;
        checkTopicName(topic, "MQTT-3.3.2-2");
        if (topic.isEmpty() && (!v5() || props.topicAlias() == null)) {
            throw protocolError(v5() ? "MQTT-3.3.2-1" : "MQTT-4.7.3-1", "PUBLISH with an empty topic name");
        }
        if (!clientSide && !props.subscriptionIdentifiers().isEmpty()) {
            throw protocolError("MQTT-3.3.4-6", "PUBLISH from a client carries a Subscription Identifier");
        }
        int n = body.readableBytes();
        if (n == 0) {
            return new Publish(topic, qos, retain, dup, packetId, props, Unpooled.EMPTY_BUFFER);
        }
        if (n >= SLICE_PAYLOAD_FROM && !clientSide) {
            // A large payload stays where the packet was buffered: the broker copies it once, after
            // the checks and the ACL said yes, and a refused one is never copied at all.
            return new Publish(topic, qos, retain, dup, packetId, props, body.readRetainedSlice(n));
        }
        byte[] payload = new byte[n];
        body.readBytes(payload);
        return new Publish(topic, qos, retain, dup, packetId, props, Unpooled.wrappedBuffer(payload));
    }

    private void checkTopicName(String topic, String ref) {
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#') {
                throw new Malformed(v5() ? ReasonCode.TOPIC_NAME_INVALID : ReasonCode.MALFORMED_PACKET, ref,
                        "topic name '" + topic + "' contains a wildcard");
            }
            if (io.vane.protocol.Topics.isControl(c)) {
                // Refused as Mosquitto does; the topic is not quoted, so it cannot forge a log line.
                throw new Malformed(v5() ? ReasonCode.TOPIC_NAME_INVALID : ReasonCode.MALFORMED_PACKET, "MQTT-1.5.4",
                        "topic name contains the control character U+" + String.format("%04X", (int) c));
            }
        }
    }

    private static int packetId(ByteBuf body) {
        if (body.readableBytes() < 2) {
            throw malformed("MQTT-2.3.1-1", "truncated packet identifier");
        }
        int id = body.readUnsignedShort();
        if (id == 0) {
            throw malformed("MQTT-2.3.1-1", "packet identifier 0");
        }
        return id;
    }

    private int reason(ByteBuf body) {
        return v5() && body.isReadable() ? body.readUnsignedByte() : ReasonCode.SUCCESS;
    }

    private Properties props(ByteBuf body, int context) {
        return v5() && body.isReadable() ? PropertiesCodec.read(body, context) : Properties.NONE;
    }

    private MqttPacket subscribe(ByteBuf body) {
        int id = packetId(body);
        Properties props = v5() ? PropertiesCodec.read(body, 8) : Properties.NONE;
        List<Subscription> subs = new ArrayList<>(2);
        while (body.isReadable()) {
            String filter = Strings.read(body);
            if (!body.isReadable()) {
                throw malformed("MQTT-3.8.3-?", "SUBSCRIBE is missing options for '" + filter + "'");
            }
            int opts = body.readUnsignedByte();
            int qos = opts & 0x03;
            if (v5()) {
                if ((opts & 0xC0) != 0) {
                    throw malformed("MQTT-3.8.3-5", "SUBSCRIBE options reserved bits set");
                }
                int rh = (opts >> 4) & 0x03;
                if (rh == 3) {
                    throw protocolError("MQTT-3.8.3-?", "Retain Handling 3");
                }
                if (qos == 3) {
                    throw malformed("MQTT-3.8.3-?", "SUBSCRIBE requests QoS 3");
                }
                subs.add(new Subscription(filter, qos, (opts & 0x04) != 0, (opts & 0x08) != 0, rh));
            } else {
                if ((opts & 0xFC) != 0 || qos == 3) {
                    throw malformed("MQTT-3-8.3-4", "SUBSCRIBE requested QoS byte 0x" + Integer.toHexString(opts));
                }
                subs.add(Subscription.of(filter, qos));
            }
        }
        if (subs.isEmpty()) {
            throw protocolError("MQTT-3.8.3-3", "SUBSCRIBE without topic filters");
        }
        return new Subscribe(id, subs, props);
    }

    private MqttPacket subAck(ByteBuf body) {
        int id = packetId(body);
        Properties props = v5() ? PropertiesCodec.read(body, 9) : Properties.NONE;
        List<Integer> codes = new ArrayList<>();
        while (body.isReadable()) {
            codes.add((int) body.readUnsignedByte());
        }
        return new SubAck(id, codes, props);
    }

    private MqttPacket unsubscribe(ByteBuf body) {
        int id = packetId(body);
        Properties props = v5() ? PropertiesCodec.read(body, 10) : Properties.NONE;
        List<String> filters = new ArrayList<>(2);
        while (body.isReadable()) {
            filters.add(Strings.read(body));
        }
        if (filters.isEmpty()) {
            throw protocolError("MQTT-3.10.3-2", "UNSUBSCRIBE without topic filters");
        }
        return new Unsubscribe(id, filters, props);
    }

    private MqttPacket unsubAck(ByteBuf body) {
        int id = packetId(body);
        Properties props = v5() ? PropertiesCodec.read(body, 11) : Properties.NONE;
        List<Integer> codes = new ArrayList<>();
        while (v5() && body.isReadable()) {
            codes.add((int) body.readUnsignedByte());
        }
        return new UnsubAck(id, codes, props);
    }

    private MqttPacket disconnect(ByteBuf body) {
        if (!v5()) {
            return Disconnect.NORMAL;
        }
        int reason = reason(body);
        Properties props = props(body, 14);
        return reason == 0 && props.isEmpty() ? Disconnect.NORMAL : new Disconnect(reason, props);
    }

    private MqttPacket auth(ByteBuf body) {
        int reason = reason(body);
        return new Auth(reason, props(body, 15));
    }
}
