package io.vane.protocol.codec;

import io.vane.protocol.PacketType;
import io.vane.protocol.ReasonCode;
import io.vane.protocol.packet.MalformedPacket;

/**
 * Thrown inside the decoder only, to unwind from deep in a packet's fields to {@link MqttDecoder#decode},
 * which turns it into a {@link MalformedPacket} value. Never escapes the codec; no stack trace.
 */
final class Malformed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int reasonCode;
    final String specRef;

    Malformed(int reasonCode, String specRef, String message) {
        super(message, null, false, false);
        this.reasonCode = reasonCode;
        this.specRef = specRef;
    }

    static Malformed malformed(String specRef, String message) {
        return new Malformed(ReasonCode.MALFORMED_PACKET, specRef, message);
    }

    static Malformed protocolError(String specRef, String message) {
        return new Malformed(ReasonCode.PROTOCOL_ERROR, specRef, message);
    }

    MalformedPacket toPacket(PacketType type) {
        return new MalformedPacket(type, reasonCode, specRef, getMessage());
    }
}
