package io.vane.protocol.packet;

import io.vane.protocol.PacketType;

/**
 * Bytes that break the spec, as a value: the connection that sent them is closed by one disconnector,
 * which sends {@code reasonCode} in a 5.0 DISCONNECT (or CONNACK) and logs {@code message}.
 *
 * @param type the packet type the bytes claimed to be, or null when the fixed header itself is bad
 * @param reasonCode the MQTT 5.0 reason code to answer with (usually 0x81 Malformed Packet or 0x82 Protocol Error)
 * @param specRef the normative statement broken, e.g. "MQTT-3.3.2-2", or "" when none applies
 * @param message a human sentence for the log, e.g. "PUBLISH topic contains a wildcard"
 */
public record MalformedPacket(PacketType type, int reasonCode, String specRef, String message)
        implements DecodeResult {

    @Override
    public String toString() {
        return message + (specRef.isEmpty() ? "" : " [" + specRef + "]");
    }
}
