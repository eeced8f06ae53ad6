package io.vane.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.packet.DecodeResult;

/**
 * Turns bytes into packets for one connection. Not thread-safe: owned by the connection's event loop.
 *
 * <p>Before CONNECT the version is unknown and only a CONNECT is accepted [MQTT-3.1.0-1]; decoding a
 * CONNECT fixes the version for the rest of the connection.
 */
public final class MqttDecoder {
    public MqttDecoder(int maximumPacketSize) {
        throw new UnsupportedOperationException("to be written");
    }

    /** The version fixed by the CONNECT, or null before it. */
    public MqttVersion version() {
        throw new UnsupportedOperationException("to be written");
    }

    /**
     * Decodes one packet when {@code in} holds all of it; returns null, with the reader index
     * unchanged, when more bytes are needed. A packet whose Remaining Length makes it larger than the
     * maximum is refused from its fixed header alone, before its body is buffered.
     */
    public DecodeResult decode(ByteBuf in) {
        throw new UnsupportedOperationException("to be written");
    }
}
