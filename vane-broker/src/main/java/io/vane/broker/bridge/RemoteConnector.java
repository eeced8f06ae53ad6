package io.vane.broker.bridge;

import io.netty.util.concurrent.EventExecutor;

/**
 * How a bridge reaches its remote broker: the transport opens the socket (TCP, TLS, WebSockets) and
 * speaks MQTT framing; the {@link Bridge} speaks the protocol. Kept as a seam so the broker module has
 * no socket code and a bridge can be driven over any byte stream.
 */
public interface RemoteConnector {

    /**
     * The thread a bridge runs on: its local session's owner and its remote connection's event loop,
     * so a message crosses the bridge without a thread hop. Called once per bridge.
     */
    EventExecutor executorFor(String bridgeName);

    /**
     * Opens a connection to {@code address}, with the bridge's TLS, bind address and TCP options. Every
     * event is delivered on {@code executor}; {@link RemoteEvents#closed} comes exactly once, also when
     * the connection could not be made.
     */
    void connect(BridgeSettings settings, BridgeAddress address, EventExecutor executor, RemoteEvents events);
}
