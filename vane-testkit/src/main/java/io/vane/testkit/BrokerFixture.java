package io.vane.testkit;

import io.vane.app.Vane;
import io.vane.app.config.VaneConfig;
import io.vane.broker.BrokerSettings;
import io.vane.transport.ListenerConfig;
import java.util.List;
import java.util.function.UnaryOperator;

/** A Vane started in-process on an ephemeral port on 127.0.0.1, for one test class or one test. */
public final class BrokerFixture implements AutoCloseable {
    private final Vane vane;

    private BrokerFixture(Vane vane) {
        this.vane = vane;
    }

    /** Default settings, $SYS off unless asked for. */
    public static BrokerFixture start() {
        return start(s -> s);
    }

    /** Starts with the default settings changed by {@code settings}. */
    public static BrokerFixture start(UnaryOperator<BrokerSettings> settings) {
        BrokerSettings s = settings.apply(BrokerSettings.defaults().withSysInterval(0));
        // Anonymous clients may do everything here, as with Mosquitto's allow_anonymous true; the
        // security tests configure their own.
        VaneConfig config = VaneConfig.defaults()
                .withBroker(s)
                .withListeners(List.of(new ListenerConfig(0, "127.0.0.1", ListenerConfig.Protocol.MQTT, -1)))
                .withSecurity(io.vane.app.config.SecurityConfig.anonymous(true));
        return new BrokerFixture(Vane.start(config));
    }

    /** Starts from a complete config (security tests, WebSocket listeners). */
    public static BrokerFixture start(VaneConfig config) {
        return new BrokerFixture(Vane.start(config));
    }

    public Vane vane() {
        return vane;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return vane.port(0);
    }

    /** tcp://127.0.0.1:port, for Paho. */
    public String uri() {
        return "tcp://127.0.0.1:" + port();
    }

    @Override
    public void close() {
        vane.close();
    }
}
