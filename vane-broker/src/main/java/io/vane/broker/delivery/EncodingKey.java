package io.vane.broker.delivery;

import io.vane.protocol.MqttVersion;

/**
 * The bytes a connection takes from a fan-out's shared encoding: a PUBLISH of one protocol family
 * (3.1 and 3.1.1 write the same bytes; 5.0 others), framed by one {@link Framing} or not at all.
 * Immutable: a session publishes its link's key at attach, routing threads read it, and each delivery
 * carries the key its bytes were made for, so a connection that finds another key encodes the message
 * itself (docs/decisions/0001).
 *
 * @param v5 whether the bytes are a 5.0 PUBLISH
 * @param framing the transport's framing, or null for bytes as they are (TCP, TLS)
 */
public record EncodingKey(boolean v5, Framing framing) {

    private static final EncodingKey PLAIN_V3 = new EncodingKey(false, null);
    private static final EncodingKey PLAIN_V5 = new EncodingKey(true, null);
    /** One key per framing and family, so routing compares keys by identity in the common case. */
    private static final java.util.concurrent.ConcurrentHashMap<Framing, EncodingKey[]> FRAMED =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** The canonical key for this family and framing (equal keys are the same object). */
    public static EncodingKey of(MqttVersion version, Framing framing) {
        boolean v5 = version == MqttVersion.V5;
        if (framing == null) {
            return v5 ? PLAIN_V5 : PLAIN_V3;
        }
        EncodingKey[] pair = FRAMED.computeIfAbsent(framing,
                f -> new EncodingKey[] {new EncodingKey(false, f), new EncodingKey(true, f)});
        return pair[v5 ? 1 : 0];
    }

    /** Equality with an identity fast path: keys from {@link #of} are canonical. */
    public boolean sameAs(EncodingKey other) {
        return this == other || (other != null && v5 == other.v5 && framing == other.framing);
    }

    /** The version to encode with. */
    public MqttVersion encodingVersion() {
        return v5 ? MqttVersion.V5 : MqttVersion.V3_1_1;
    }

    /** The same family without framing: what a framed encoding is made from. */
    public EncodingKey plain() {
        return framing == null ? this : (v5 ? PLAIN_V5 : PLAIN_V3);
    }

    /** How many bytes of {@code encoded} are the MQTT packet (without the frame header). */
    public int mqttLength(io.netty.buffer.ByteBuf encoded) {
        return framing == null ? encoded.readableBytes() : encoded.readableBytes() - framing.headerLength(encoded);
    }
}
