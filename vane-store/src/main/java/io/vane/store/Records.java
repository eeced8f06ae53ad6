package io.vane.store;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.vane.broker.Message;
import io.vane.broker.delivery.Outgoing;
import io.vane.broker.session.SubscriptionRecord;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.codec.MqttDecoder;
import io.vane.protocol.codec.MqttEncoder;
import io.vane.protocol.packet.DecodeResult;
import io.vane.protocol.packet.Publish;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * How messages and subscriptions are written in the store. A message is its MQTT 5.0 PUBLISH (so every
 * property a 5.0 publisher set comes back as it was) behind a small header with what PUBLISH does not
 * carry: the QoS and RETAIN flag of this delivery, the expiry time and the publisher's client id. The
 * first byte is the format version; a record of an unknown version is refused, never guessed at. A
 * CRC32C over the rest follows it: SQLite checks its own structure but not the bytes of a row, and a row
 * damaged on disk must not reach a client as a message.
 */
final class Records {
    /** 2: a CRC32C of the record follows the format byte, so a damaged record is skipped, never served. */
    static final int FORMAT = 2;

    private Records() {
    }

    static byte[] message(Outgoing out) {
        Message m = out.message();
        Properties props = m.properties();
        if (out.subscriptionIds().length > 0) {
            Properties.Builder b = props.toBuilder();
            for (int id : out.subscriptionIds()) {
                b.addSubscriptionIdentifier(id);
            }
            props = b.build();
        }
        Publish p = new Publish(m.topic(), m.qos(), m.retain(), false, m.qos() > 0 ? 1 : 0, props,
                Unpooled.wrappedBuffer(m.payload()));
        ByteBuf packet = MqttEncoder.encode(UnpooledByteBufAllocator.DEFAULT, p, MqttVersion.V5);
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + packet.readableBytes());
            DataOutputStream data = new DataOutputStream(bytes);
            data.writeByte(FORMAT);
            data.writeByte(out.qos());
            data.writeBoolean(out.retain());
            data.writeLong(m.expiresAtMillis());
            writeNullable(data, m.publisherId());
            data.write(ByteBufUtil.getBytes(packet));
            return seal(bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            packet.release();
        }
    }

    static Outgoing outgoing(byte[] record) {
        try {
            DataInputStream data = new DataInputStream(new java.io.ByteArrayInputStream(unseal(record)));
            int format = data.readUnsignedByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("message record of format " + format + ", not " + FORMAT);
            }
            int qos = data.readUnsignedByte();
            boolean retain = data.readBoolean();
            long expiresAt = data.readLong();
            String publisherId = readNullable(data);
            byte[] packet = data.readAllBytes();
            MqttDecoder decoder = new MqttDecoder(Integer.MAX_VALUE);
            decoder.setVersion(MqttVersion.V5);
            DecodeResult r = decoder.decode(Unpooled.wrappedBuffer(packet));
            if (!(r instanceof Publish p)) {
                throw new IllegalArgumentException("message record does not hold a PUBLISH: " + r);
            }
            byte[] payload = ByteBufUtil.getBytes(p.payload());
            p.payload().release();
            Properties props = p.properties();
            List<Integer> ids = props.subscriptionIdentifiers();
            int[] subscriptionIds = ids.stream().mapToInt(Integer::intValue).toArray();
            if (!ids.isEmpty()) {
                props = props.toBuilder().clearSubscriptionIdentifiers().build();
            }
            Message m = new Message(p.topic(), payload, p.qos(), p.retain(), props, expiresAt, publisherId);
            return new Outgoing(m, qos, retain, subscriptionIds);
        } catch (IOException e) {
            throw new IllegalArgumentException("message record cut short", e);
        }
    }

    static byte[] subscription(SubscriptionRecord s) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            DataOutputStream data = new DataOutputStream(bytes);
            data.writeByte(FORMAT);
            writeString(data, s.filter());
            writeString(data, s.topicFilter());
            writeNullable(data, s.shareGroup());
            data.writeByte(s.qos());
            data.writeBoolean(s.noLocal());
            data.writeBoolean(s.retainAsPublished());
            data.writeByte(s.retainHandling());
            data.writeInt(s.subscriptionId());
            return seal(bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SubscriptionRecord subscription(byte[] record) {
        try {
            DataInputStream data = new DataInputStream(new java.io.ByteArrayInputStream(unseal(record)));
            int format = data.readUnsignedByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("subscription record of format " + format + ", not " + FORMAT);
            }
            return new SubscriptionRecord(readString(data), readString(data), readNullable(data), data.readUnsignedByte(),
                    data.readBoolean(), data.readBoolean(), data.readUnsignedByte(), data.readInt());
        } catch (IOException e) {
            throw new IllegalArgumentException("subscription record cut short", e);
        }
    }

    /** [format][fields] becomes [format][CRC32C of fields][fields]. */
    private static byte[] seal(byte[] unsealed) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(unsealed, 1, unsealed.length - 1);
        byte[] sealed = new byte[unsealed.length + 4];
        sealed[0] = unsealed[0];
        int c = (int) crc.getValue();
        sealed[1] = (byte) (c >>> 24);
        sealed[2] = (byte) (c >>> 16);
        sealed[3] = (byte) (c >>> 8);
        sealed[4] = (byte) c;
        System.arraycopy(unsealed, 1, sealed, 5, unsealed.length - 1);
        return sealed;
    }

    /** The record as {@link #seal} took it, once its checksum matches; refuses a damaged one. */
    private static byte[] unseal(byte[] sealed) {
        if (sealed == null || sealed.length < 5) {
            throw new IllegalArgumentException("record of " + (sealed == null ? 0 : sealed.length) + " bytes");
        }
        if ((sealed[0] & 0xFF) != FORMAT) {
            throw new IllegalArgumentException("record of format " + (sealed[0] & 0xFF) + ", not " + FORMAT);
        }
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(sealed, 5, sealed.length - 5);
        int stored = (sealed[1] & 0xFF) << 24 | (sealed[2] & 0xFF) << 16 | (sealed[3] & 0xFF) << 8 | (sealed[4] & 0xFF);
        if ((int) crc.getValue() != stored) {
            throw new IllegalArgumentException("record damaged (checksum does not match)");
        }
        byte[] unsealed = new byte[sealed.length - 4];
        unsealed[0] = sealed[0];
        System.arraycopy(sealed, 5, unsealed, 1, sealed.length - 5);
        return unsealed;
    }

    private static void writeNullable(DataOutputStream data, String s) throws IOException {
        data.writeBoolean(s != null);
        if (s != null) {
            writeString(data, s);
        }
    }

    private static String readNullable(DataInputStream data) throws IOException {
        return data.readBoolean() ? readString(data) : null;
    }

    /** UTF-8 with an int length: MQTT strings may be 65,535 bytes, more than writeUTF's modified UTF-8 allows. */
    private static void writeString(DataOutputStream data, String s) throws IOException {
        byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        data.writeInt(utf8.length);
        data.write(utf8);
    }

    private static String readString(DataInputStream data) throws IOException {
        int n = data.readInt();
        if (n < 0 || n > 1 << 20) {
            throw new IOException("string of " + n + " bytes");
        }
        return new String(data.readNBytes(n), java.nio.charset.StandardCharsets.UTF_8);
    }
}
