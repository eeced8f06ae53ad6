package io.vane.broker.bridge;

import io.vane.protocol.packet.MqttPacket;

/** What a remote connection tells its bridge, always on the bridge's executor. */
public interface RemoteEvents {

    /** The connection (and its TLS or WebSocket handshake) is up: the bridge sends CONNECT. */
    void connected(RemoteChannel channel);

    /** A packet from the remote broker; a PUBLISH's payload is released by the bridge. */
    void received(MqttPacket packet);

    /** The connection can take more writes again after {@link RemoteChannel#isWritable()} said no. */
    void writable();

    /** The connection is gone, or was never made; {@code reason} says why for the log. Called once. */
    void closed(String reason);
}
