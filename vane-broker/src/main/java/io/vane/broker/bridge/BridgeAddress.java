package io.vane.broker.bridge;

/**
 * Where a bridge connects: {@code host:port} for MQTT over TCP (TLS when the bridge has TLS options),
 * or {@code ws://host[:port]/path} / {@code wss://...} for MQTT over WebSockets, which Mosquitto cannot do.
 *
 * @param host the remote host name or address
 * @param port the remote port
 * @param webSocketPath the HTTP path of the WebSocket endpoint, or null for plain MQTT
 * @param secureWebSocket wss: the WebSocket runs over TLS
 */
public record BridgeAddress(String host, int port, String webSocketPath, boolean secureWebSocket) {

    public static BridgeAddress tcp(String host, int port) {
        return new BridgeAddress(host, port, null, false);
    }

    public boolean isWebSocket() {
        return webSocketPath != null;
    }

    @Override
    public String toString() {
        if (!isWebSocket()) {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
        return (secureWebSocket ? "wss://" : "ws://") + host + ":" + port + webSocketPath;
    }
}
