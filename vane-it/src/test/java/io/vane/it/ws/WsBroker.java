package io.vane.it.ws;

import io.vane.app.Vane;
import io.vane.app.config.VaneConfig;
import io.vane.transport.ListenerConfig;
import io.vane.transport.ListenerConfig.Protocol;
import java.util.List;
import java.util.function.UnaryOperator;

/** A Vane with MQTT over TCP and a websockets listener, both on free ports of 127.0.0.1. */
final class WsBroker implements AutoCloseable {
    final Vane vane;

    WsBroker() {
        this(UnaryOperator.identity());
    }

    WsBroker(UnaryOperator<ListenerConfig> websockets) {
        this(websockets, io.vane.app.config.SecurityConfig.anonymous(true));
    }

    /** With the given security, e.g. {@code SecurityConfig.secureDefault()}. */
    WsBroker(UnaryOperator<ListenerConfig> websockets, io.vane.app.config.SecurityConfig security) {
        vane = Vane.start(VaneConfig.defaults().withListeners(List.of(
                new ListenerConfig(0, "127.0.0.1", Protocol.MQTT, -1),
                websockets.apply(new ListenerConfig(0, "127.0.0.1", Protocol.WEBSOCKETS, -1))))
                .withSecurity(security));
    }

    int tcpPort() {
        return vane.port(0);
    }

    int wsPort() {
        return vane.port(1);
    }

    String tcpUri() {
        return "tcp://127.0.0.1:" + tcpPort();
    }

    String wsUri() {
        return "ws://127.0.0.1:" + wsPort() + "/mqtt";
    }

    @Override
    public void close() {
        vane.close();
    }
}
