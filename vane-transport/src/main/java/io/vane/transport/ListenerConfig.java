package io.vane.transport;

import java.nio.file.Path;
import java.util.List;

/**
 * One listener block of the configuration: where to listen and which protocol to speak there.
 *
 * @param port the port; 0 picks a free one (tests)
 * @param bindAddress null or empty for every interface
 * @param protocol {@code protocol mqtt} or {@code protocol websockets}
 * @param maxConnections max_connections for this listener, -1 for no limit
 * @param httpDir http_dir: a folder served over plain HTTP on a websockets listener, or null to serve
 *        only the classpath folder {@code vane/www/} (and WebJars under {@code /webjars/})
 * @param trustedProxies addresses of reverse proxies whose {@code X-Forwarded-For} / {@code X-Real-IP}
 *        name the client; empty trusts no proxy (the socket's peer address is the client)
 * @param allowedOrigins {@code Origin} values a browser may open a WebSocket from; empty allows any.
 *        Non-browser clients send no Origin and are not affected.
 * @param maxFrameSize largest WebSocket frame payload accepted, in bytes; 0 means the broker's
 *        maximum packet size, so a packet TCP would accept fits in one frame
 * @param tls certificate settings making this listener TLS (mqtts) or wss, or null for plain
 */
public record ListenerConfig(int port, String bindAddress, Protocol protocol, int maxConnections, Path httpDir,
        List<String> trustedProxies, List<String> allowedOrigins, int maxFrameSize,
        io.vane.transport.tls.TlsSettings tls) {

    /** The eight settings of a plain (not TLS) listener. */
    public ListenerConfig(int port, String bindAddress, Protocol protocol, int maxConnections, Path httpDir,
            List<String> trustedProxies, List<String> allowedOrigins, int maxFrameSize) {
        this(port, bindAddress, protocol, maxConnections, httpDir, trustedProxies, allowedOrigins, maxFrameSize,
                null);
    }

    public ListenerConfig {
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        if (maxFrameSize < 0) {
            throw new IllegalArgumentException("maxFrameSize must be 0 or more, not " + maxFrameSize);
        }
    }

    /** The four settings every listener has; the WebSocket/HTTP ones take their defaults. */
    public ListenerConfig(int port, String bindAddress, Protocol protocol, int maxConnections) {
        this(port, bindAddress, protocol, maxConnections, null, List.of(), List.of(), 0);
    }

    /** The transport protocol a listener speaks; Mosquitto's config words. */
    public enum Protocol {
        MQTT("mqtt"),
        WEBSOCKETS("websockets");

        private final String configWord;

        Protocol(String configWord) {
            this.configWord = configWord;
        }

        public String configWord() {
            return configWord;
        }
    }

    public static ListenerConfig mqtt(int port) {
        return new ListenerConfig(port, null, Protocol.MQTT, -1);
    }

    /** MQTT over WebSockets and plain HTTP on one port, on every interface. */
    public static ListenerConfig websockets(int port) {
        return new ListenerConfig(port, null, Protocol.WEBSOCKETS, -1);
    }

    public ListenerConfig withHttpDir(Path dir) {
        return new ListenerConfig(port, bindAddress, protocol, maxConnections, dir, trustedProxies, allowedOrigins,
                maxFrameSize, tls);
    }

    public ListenerConfig withTrustedProxies(List<String> proxies) {
        return new ListenerConfig(port, bindAddress, protocol, maxConnections, httpDir, proxies, allowedOrigins,
                maxFrameSize, tls);
    }

    public ListenerConfig withAllowedOrigins(List<String> origins) {
        return new ListenerConfig(port, bindAddress, protocol, maxConnections, httpDir, trustedProxies, origins,
                maxFrameSize, tls);
    }

    public ListenerConfig withMaxFrameSize(int bytes) {
        return new ListenerConfig(port, bindAddress, protocol, maxConnections, httpDir, trustedProxies,
                allowedOrigins, bytes, tls);
    }

    public ListenerConfig withTls(io.vane.transport.tls.TlsSettings settings) {
        return new ListenerConfig(port, bindAddress, protocol, maxConnections, httpDir, trustedProxies,
                allowedOrigins, maxFrameSize, settings);
    }
}
