package io.vane.broker.bridge;

import io.vane.protocol.MqttVersion;
import io.vane.protocol.packet.MqttPacket;

/** A bridge's open connection to its remote broker. Bridge executor only. */
public interface RemoteChannel {

    /** Fixes the protocol version for encoding and decoding; called before the CONNECT is written. */
    void version(MqttVersion version);

    /** Writes and flushes one packet; takes ownership of a PUBLISH's payload. */
    void write(MqttPacket packet);

    /** False while the outbound buffer is above its high-water mark. */
    boolean isWritable();

    /** Closes the connection; {@link RemoteEvents#closed} follows. */
    void close();
}
