package io.vane.protocol.codec;

import static io.vane.protocol.Properties.*;

import io.netty.buffer.ByteBuf;
import io.vane.protocol.Properties;
import io.vane.protocol.UserProperty;
import java.nio.charset.StandardCharsets;

/** MQTT 5.0 properties on the wire (section 2.2.2): which may appear where, their types and values. */
final class PropertiesCodec {
    /** The context bit for Will Properties; packet types use their own value as the bit. */
    static final int WILL = 0;

    private static final int BYTE = 1;
    private static final int INT4 = 2;
    private static final int STRING = 3;
    private static final int BINARY = 4;
    private static final int VARINT = 5;
    private static final int INT2 = 6;
    private static final int PAIR = 7;

    private static final int[] TYPE = new int[0x2B];
    private static final int[] ALLOWED = new int[0x2B];

    private static void def(int id, int type, int... contexts) {
        TYPE[id] = type;
        for (int c : contexts) {
            ALLOWED[id] |= 1 << c;
        }
    }

    // Packet type values: CONNECT 1, CONNACK 2, PUBLISH 3, PUBACK 4, PUBREC 5, PUBREL 6, PUBCOMP 7,
    // SUBSCRIBE 8, SUBACK 9, UNSUBSCRIBE 10, UNSUBACK 11, DISCONNECT 14, AUTH 15 (table 2-4).
    static {
        def(PAYLOAD_FORMAT_INDICATOR, BYTE, 3, WILL);
        def(MESSAGE_EXPIRY_INTERVAL, INT4, 3, WILL);
        def(CONTENT_TYPE, STRING, 3, WILL);
        def(RESPONSE_TOPIC, STRING, 3, WILL);
        def(CORRELATION_DATA, BINARY, 3, WILL);
        def(SUBSCRIPTION_IDENTIFIER, VARINT, 3, 8);
        def(SESSION_EXPIRY_INTERVAL, INT4, 1, 2, 14);
        def(ASSIGNED_CLIENT_IDENTIFIER, STRING, 2);
        def(SERVER_KEEP_ALIVE, INT2, 2);
        def(AUTHENTICATION_METHOD, STRING, 1, 2, 15);
        def(AUTHENTICATION_DATA, BINARY, 1, 2, 15);
        def(REQUEST_PROBLEM_INFORMATION, BYTE, 1);
        def(WILL_DELAY_INTERVAL, INT4, WILL);
        def(REQUEST_RESPONSE_INFORMATION, BYTE, 1);
        def(RESPONSE_INFORMATION, STRING, 2);
        def(SERVER_REFERENCE, STRING, 2, 14);
        def(REASON_STRING, STRING, 2, 4, 5, 6, 7, 9, 11, 14, 15);
        def(RECEIVE_MAXIMUM, INT2, 1, 2);
        def(TOPIC_ALIAS_MAXIMUM, INT2, 1, 2);
        def(TOPIC_ALIAS, INT2, 3);
        def(MAXIMUM_QOS, BYTE, 2);
        def(RETAIN_AVAILABLE, BYTE, 2);
        def(USER_PROPERTY, PAIR, WILL, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14, 15);
        def(MAXIMUM_PACKET_SIZE, INT4, 1, 2);
        def(WILDCARD_SUBSCRIPTION_AVAILABLE, BYTE, 2);
        def(SUBSCRIPTION_IDENTIFIER_AVAILABLE, BYTE, 2);
        def(SHARED_SUBSCRIPTION_AVAILABLE, BYTE, 2);
    }

    private PropertiesCodec() {
    }

    // ---- decoding ---------------------------------------------------------------------------------

    /** Reads a property length and the properties it covers, for the given context. */
    static Properties read(ByteBuf in, int context) {
        int length = VarInt.read(in);
        if (length > in.readableBytes()) {
            throw Malformed.malformed("MQTT-2.2.2-1", "property length runs past the packet");
        }
        if (length == 0) {
            return Properties.NONE;
        }
        int end = in.readerIndex() + length;
        Properties.Builder b = Properties.builder();
        long seen = 0;
        while (in.readerIndex() < end) {
            int id = VarInt.read(in);
            if (id <= 0 || id >= TYPE.length || TYPE[id] == 0) {
                throw Malformed.malformed("MQTT-2.2.2-2", String.format("unknown property 0x%02X", id));
            }
            if ((ALLOWED[id] & (1 << context)) == 0) {
                throw Malformed.malformed("MQTT-2.2.2-2",
                        String.format("property 0x%02X is not allowed in this packet", id));
            }
            if (id != USER_PROPERTY && id != SUBSCRIPTION_IDENTIFIER) {
                if ((seen & (1L << id)) != 0) {
                    throw Malformed.protocolError("MQTT-2.2.2-2", String.format("property 0x%02X appears twice", id));
                }
                seen |= 1L << id;
            } else if (id == SUBSCRIPTION_IDENTIFIER && context == 8 && (seen & (1L << id)) != 0) {
                throw Malformed.protocolError("MQTT-3.8.2.1.2", "SUBSCRIBE carries more than one Subscription Identifier");
            } else {
                seen |= 1L << id;
            }
            readOne(in, id, end, b);
        }
        if (in.readerIndex() != end) {
            throw Malformed.malformed("MQTT-2.2.2-1", "a property runs past the property length");
        }
        return b.build();
    }

    private static void readOne(ByteBuf in, int id, int end, Properties.Builder b) {
        switch (TYPE[id]) {
            case BYTE -> {
                need(in, end, 1);
                int v = in.readUnsignedByte();
                setByte(id, v, b);
            }
            case INT2 -> {
                need(in, end, 2);
                int v = in.readUnsignedShort();
                setInt2(id, v, b);
            }
            case INT4 -> {
                need(in, end, 4);
                long v = in.readUnsignedInt();
                setInt4(id, v, b);
            }
            case VARINT -> {
                int v = VarInt.read(in);
                if (in.readerIndex() > end) {
                    throw Malformed.malformed("MQTT-2.2.2-1", "a property runs past the property length");
                }
                if (v == 0) {
                    throw Malformed.protocolError("MQTT-3.8.2.1.2", "Subscription Identifier of 0");
                }
                b.addSubscriptionIdentifier(v);
            }
            case STRING -> setString(id, readString(in, end), b);
            case BINARY -> {
                byte[] data = readBinary(in, end);
                if (id == CORRELATION_DATA) {
                    b.correlationData(data);
                } else {
                    b.authenticationData(data);
                }
            }
            case PAIR -> {
                String name = readString(in, end);
                String value = readString(in, end);
                b.addUserProperty(name, value);
            }
            default -> throw new IllegalStateException("property type " + TYPE[id]);
        }
    }

    private static void setByte(int id, int v, Properties.Builder b) {
        if (v > 1) {
            String ref = id == PAYLOAD_FORMAT_INDICATOR ? "MQTT-3.3.2.3.2" : "MQTT-2.2.2-2";
            throw Malformed.protocolError(ref, String.format("property 0x%02X must be 0 or 1, got %d", id, v));
        }
        switch (id) {
            case PAYLOAD_FORMAT_INDICATOR -> b.payloadFormatIndicator(v);
            case REQUEST_PROBLEM_INFORMATION -> b.requestProblemInformation(v);
            case REQUEST_RESPONSE_INFORMATION -> b.requestResponseInformation(v);
            case MAXIMUM_QOS -> b.maximumQos(v);
            case RETAIN_AVAILABLE -> b.retainAvailable(v);
            case WILDCARD_SUBSCRIPTION_AVAILABLE -> b.wildcardSubscriptionAvailable(v);
            case SUBSCRIPTION_IDENTIFIER_AVAILABLE -> b.subscriptionIdentifierAvailable(v);
            case SHARED_SUBSCRIPTION_AVAILABLE -> b.sharedSubscriptionAvailable(v);
            default -> throw new IllegalStateException();
        }
    }

    private static void setInt2(int id, int v, Properties.Builder b) {
        switch (id) {
            case SERVER_KEEP_ALIVE -> b.serverKeepAlive(v);
            case RECEIVE_MAXIMUM -> {
                if (v == 0) {
                    throw Malformed.protocolError("MQTT-3.1.2-?", "Receive Maximum of 0");
                }
                b.receiveMaximum(v);
            }
            case TOPIC_ALIAS_MAXIMUM -> b.topicAliasMaximum(v);
            case TOPIC_ALIAS -> {
                if (v == 0) {
                    throw Malformed.protocolError("MQTT-3.3.2-8", "Topic Alias of 0");
                }
                b.topicAlias(v);
            }
            default -> throw new IllegalStateException();
        }
    }

    private static void setInt4(int id, long v, Properties.Builder b) {
        switch (id) {
            case MESSAGE_EXPIRY_INTERVAL -> b.messageExpiryInterval(v);
            case SESSION_EXPIRY_INTERVAL -> b.sessionExpiryInterval(v);
            case WILL_DELAY_INTERVAL -> b.willDelayInterval(v);
            case MAXIMUM_PACKET_SIZE -> {
                if (v == 0) {
                    throw Malformed.protocolError("MQTT-3.1.2-?", "Maximum Packet Size of 0");
                }
                b.maximumPacketSize(v);
            }
            default -> throw new IllegalStateException();
        }
    }

    private static void setString(int id, String v, Properties.Builder b) {
        switch (id) {
            case CONTENT_TYPE -> b.contentType(v);
            case RESPONSE_TOPIC -> b.responseTopic(v);
            case ASSIGNED_CLIENT_IDENTIFIER -> b.assignedClientIdentifier(v);
            case AUTHENTICATION_METHOD -> b.authenticationMethod(v);
            case RESPONSE_INFORMATION -> b.responseInformation(v);
            case SERVER_REFERENCE -> b.serverReference(v);
            case REASON_STRING -> b.reasonString(v);
            default -> throw new IllegalStateException();
        }
    }

    private static void need(ByteBuf in, int end, int n) {
        if (end - in.readerIndex() < n) {
            throw Malformed.malformed("MQTT-2.2.2-1", "a property runs past the property length");
        }
    }

    private static String readString(ByteBuf in, int end) {
        need(in, end, 2);
        int len = in.readUnsignedShort();
        need(in, end, len);
        return Utf8.read(in, len);
    }

    private static byte[] readBinary(ByteBuf in, int end) {
        need(in, end, 2);
        int len = in.readUnsignedShort();
        need(in, end, len);
        byte[] data = new byte[len];
        in.readBytes(data);
        return data;
    }

    // ---- encoding ---------------------------------------------------------------------------------

    /** Bytes the properties take on the wire, without their length prefix. */
    static int size(Properties p) {
        if (p == Properties.NONE) {
            return 0;
        }
        int n = 0;
        n += p.payloadFormatIndicator() != null ? 2 : 0;
        n += p.messageExpiryInterval() != null ? 5 : 0;
        n += strSize(p.contentType());
        n += strSize(p.responseTopic());
        n += p.correlationData() != null ? 3 + p.correlationData().length : 0;
        for (int id : p.subscriptionIdentifiers()) {
            n += 1 + VarInt.size(id);
        }
        n += p.sessionExpiryInterval() != null ? 5 : 0;
        n += strSize(p.assignedClientIdentifier());
        n += p.serverKeepAlive() != null ? 3 : 0;
        n += strSize(p.authenticationMethod());
        n += p.authenticationData() != null ? 3 + p.authenticationData().length : 0;
        n += p.requestProblemInformation() != null ? 2 : 0;
        n += p.willDelayInterval() != null ? 5 : 0;
        n += p.requestResponseInformation() != null ? 2 : 0;
        n += strSize(p.responseInformation());
        n += strSize(p.serverReference());
        n += strSize(p.reasonString());
        n += p.receiveMaximum() != null ? 3 : 0;
        n += p.topicAliasMaximum() != null ? 3 : 0;
        n += p.topicAlias() != null ? 3 : 0;
        n += p.maximumQos() != null ? 2 : 0;
        n += p.retainAvailable() != null ? 2 : 0;
        for (UserProperty u : p.userProperties()) {
            n += 1 + 2 + utf8Length(u.name()) + 2 + utf8Length(u.value());
        }
        n += p.maximumPacketSize() != null ? 5 : 0;
        n += p.wildcardSubscriptionAvailable() != null ? 2 : 0;
        n += p.subscriptionIdentifierAvailable() != null ? 2 : 0;
        n += p.sharedSubscriptionAvailable() != null ? 2 : 0;
        return n;
    }

    private static int strSize(String s) {
        return s == null ? 0 : 3 + utf8Length(s);
    }

    static int utf8Length(String s) {
        int n = s.length();
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return n;
    }

    /** The order the properties are written in where no packet asks for another: by identifier group. */
    static final int[] DEFAULT_ORDER = {PAYLOAD_FORMAT_INDICATOR, MESSAGE_EXPIRY_INTERVAL, CONTENT_TYPE,
        RESPONSE_TOPIC, CORRELATION_DATA, SUBSCRIPTION_IDENTIFIER, SESSION_EXPIRY_INTERVAL,
        ASSIGNED_CLIENT_IDENTIFIER, SERVER_KEEP_ALIVE, AUTHENTICATION_METHOD, AUTHENTICATION_DATA,
        REQUEST_PROBLEM_INFORMATION, WILL_DELAY_INTERVAL, REQUEST_RESPONSE_INFORMATION, RESPONSE_INFORMATION,
        SERVER_REFERENCE, REASON_STRING, RECEIVE_MAXIMUM, TOPIC_ALIAS_MAXIMUM, TOPIC_ALIAS, MAXIMUM_QOS,
        RETAIN_AVAILABLE, USER_PROPERTY, MAXIMUM_PACKET_SIZE, WILDCARD_SUBSCRIPTION_AVAILABLE,
        SUBSCRIPTION_IDENTIFIER_AVAILABLE, SHARED_SUBSCRIPTION_AVAILABLE};

    /**
     * CONNACK in the order Mosquitto 2.0 writes it (the spec sets none): what the CONNECT handling adds,
     * then what its CONNACK sender appends; tools and test suites that compare bytes see the same packet.
     */
    static final int[] CONNACK_ORDER = startingWith(TOPIC_ALIAS_MAXIMUM, SERVER_KEEP_ALIVE,
            ASSIGNED_CLIENT_IDENTIFIER, AUTHENTICATION_METHOD, AUTHENTICATION_DATA, RETAIN_AVAILABLE,
            MAXIMUM_PACKET_SIZE, RECEIVE_MAXIMUM, MAXIMUM_QOS);

    /**
     * PUBLISH as Mosquitto writes it to subscribers: the publisher's own properties, then Message Expiry
     * Interval, Topic Alias and Subscription Identifier, which the broker adds.
     */
    static final int[] PUBLISH_ORDER = startingWith(PAYLOAD_FORMAT_INDICATOR, CONTENT_TYPE, RESPONSE_TOPIC,
            CORRELATION_DATA, USER_PROPERTY, MESSAGE_EXPIRY_INTERVAL, TOPIC_ALIAS, SUBSCRIPTION_IDENTIFIER);

    private static int[] startingWith(int... first) {
        int[] order = java.util.Arrays.copyOf(first, DEFAULT_ORDER.length);
        int n = first.length;
        for (int id : DEFAULT_ORDER) {
            if (java.util.Arrays.stream(first).noneMatch(f -> f == id)) {
                order[n++] = id;
            }
        }
        return order;
    }

    /** Writes the property length and the properties, in {@link #DEFAULT_ORDER}. */
    static void write(Properties p, int size, ByteBuf out) {
        write(p, size, out, DEFAULT_ORDER);
    }

    /** Writes the property length and the properties in {@code order} (every identifier once). */
    static void write(Properties p, int size, ByteBuf out, int[] order) {
        VarInt.write(size, out);
        if (size == 0) {
            return;
        }
        for (int id : order) {
            writeOne(p, id, out);
        }
    }

    private static void writeOne(Properties p, int id, ByteBuf out) {
        switch (id) {
            case PAYLOAD_FORMAT_INDICATOR -> byteProp(out, id, p.payloadFormatIndicator());
            case MESSAGE_EXPIRY_INTERVAL -> int4Prop(out, id, p.messageExpiryInterval());
            case CONTENT_TYPE -> strProp(out, id, p.contentType());
            case RESPONSE_TOPIC -> strProp(out, id, p.responseTopic());
            case CORRELATION_DATA -> binProp(out, id, p.correlationData());
            case SUBSCRIPTION_IDENTIFIER -> {
                for (int sid : p.subscriptionIdentifiers()) {
                    out.writeByte(SUBSCRIPTION_IDENTIFIER);
                    VarInt.write(sid, out);
                }
            }
            case SESSION_EXPIRY_INTERVAL -> int4Prop(out, id, p.sessionExpiryInterval());
            case ASSIGNED_CLIENT_IDENTIFIER -> strProp(out, id, p.assignedClientIdentifier());
            case SERVER_KEEP_ALIVE -> int2Prop(out, id, p.serverKeepAlive());
            case AUTHENTICATION_METHOD -> strProp(out, id, p.authenticationMethod());
            case AUTHENTICATION_DATA -> binProp(out, id, p.authenticationData());
            case REQUEST_PROBLEM_INFORMATION -> byteProp(out, id, p.requestProblemInformation());
            case WILL_DELAY_INTERVAL -> int4Prop(out, id, p.willDelayInterval());
            case REQUEST_RESPONSE_INFORMATION -> byteProp(out, id, p.requestResponseInformation());
            case RESPONSE_INFORMATION -> strProp(out, id, p.responseInformation());
            case SERVER_REFERENCE -> strProp(out, id, p.serverReference());
            case REASON_STRING -> strProp(out, id, p.reasonString());
            case RECEIVE_MAXIMUM -> int2Prop(out, id, p.receiveMaximum());
            case TOPIC_ALIAS_MAXIMUM -> int2Prop(out, id, p.topicAliasMaximum());
            case TOPIC_ALIAS -> int2Prop(out, id, p.topicAlias());
            case MAXIMUM_QOS -> byteProp(out, id, p.maximumQos());
            case RETAIN_AVAILABLE -> byteProp(out, id, p.retainAvailable());
            case USER_PROPERTY -> {
                for (UserProperty u : p.userProperties()) {
                    out.writeByte(USER_PROPERTY);
                    Strings.write(u.name(), out);
                    Strings.write(u.value(), out);
                }
            }
            case MAXIMUM_PACKET_SIZE -> int4Prop(out, id, p.maximumPacketSize());
            case WILDCARD_SUBSCRIPTION_AVAILABLE -> byteProp(out, id, p.wildcardSubscriptionAvailable());
            case SUBSCRIPTION_IDENTIFIER_AVAILABLE -> byteProp(out, id, p.subscriptionIdentifierAvailable());
            case SHARED_SUBSCRIPTION_AVAILABLE -> byteProp(out, id, p.sharedSubscriptionAvailable());
            default -> throw new IllegalArgumentException("no property 0x" + Integer.toHexString(id));
        }
    }

    private static void byteProp(ByteBuf out, int id, Integer v) {
        if (v != null) {
            out.writeByte(id);
            out.writeByte(v);
        }
    }

    private static void int2Prop(ByteBuf out, int id, Integer v) {
        if (v != null) {
            out.writeByte(id);
            out.writeShort(v);
        }
    }

    private static void int4Prop(ByteBuf out, int id, Long v) {
        if (v != null) {
            out.writeByte(id);
            out.writeInt((int) (long) v);
        }
    }

    private static void strProp(ByteBuf out, int id, String v) {
        if (v != null) {
            out.writeByte(id);
            Strings.write(v, out);
        }
    }

    private static void binProp(ByteBuf out, int id, byte[] v) {
        if (v != null) {
            out.writeByte(id);
            out.writeShort(v.length);
            out.writeBytes(v);
        }
    }
}
