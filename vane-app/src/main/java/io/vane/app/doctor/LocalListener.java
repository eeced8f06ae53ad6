package io.vane.app.doctor;

import io.vane.transport.ListenerConfig;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/** How the doctor reaches one of the config's listeners from this machine. */
final class LocalListener {
    private LocalListener() {
    }

    /** The address to connect to: the listener's own bind address, or 127.0.0.1 when it listens on all. */
    static String host(ListenerConfig l) {
        String a = l.bindAddress();
        return a == null || a.isEmpty() || a.equals("0.0.0.0") || a.equals("::") ? "127.0.0.1" : a;
    }

    static String describe(ListenerConfig l) {
        return host(l) + ":" + l.port() + " (" + ConfigChecks.describe(l) + ")";
    }

    /**
     * Opens a connection to the listener as a client would: TCP, TLS (any certificate accepted, since
     * the TLS checks judge the files and a certificate never names 127.0.0.1), or a ws:// WebSocket.
     * A wss listener is reached through --public-url instead: the JDK's WebSocket client always
     * checks the host name.
     */
    static Wire open(ListenerConfig l, Duration timeout) throws IOException {
        boolean tls = l.tls() != null;
        if (l.protocol() == ListenerConfig.Protocol.MQTT) {
            return SocketWire.open(host(l), l.port(), tls ? Trust.acceptingAny() : null, false, timeout);
        }
        if (tls) {
            throw new IOException("a wss listener is tested through --public-url wss://HOST:" + l.port() + "/mqtt");
        }
        String h = host(l).contains(":") ? "[" + host(l) + "]" : host(l);
        return WebSocketWire.open(URI.create("ws://" + h + ":" + l.port() + "/mqtt"), null, timeout);
    }

    /** Whether something on the listener's port answers an MQTT CONNECT (accepted or refused). */
    static boolean answersMqtt(ListenerConfig l, Duration timeout) {
        try (MqttProbe p = new MqttProbe(open(l, timeout), timeout)) {
            return p.connect(null, null) >= 0;
        } catch (IOException e) {
            return false;
        }
    }
}
