package io.vane.app.doctor;

import io.vane.transport.ListenerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;

/**
 * Whether each listener's port can be bound, and when it cannot, who holds it. A port held by a process
 * that answers MQTT is the running broker (fine); one held by anything else stops Vane from starting.
 */
final class PortChecks {
    static final String GROUP = "ports";

    private PortChecks() {
    }

    static void run(Doctor d) {
        Duration timeout = d.inputs().timeout();
        for (ListenerConfig l : d.config.listeners()) {
            check(d.report(), l, timeout);
        }
    }

    private static void check(Report r, ListenerConfig l, Duration timeout) {
        String name = "port " + l.port() + " (" + ConfigChecks.describe(l) + ")";
        String bind = l.bindAddress() == null || l.bindAddress().isEmpty() ? "0.0.0.0" : l.bindAddress();
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(bind, l.port()));
            r.pass(GROUP, name + " is free: Vane can listen there (nothing listens there now)");
            return;
        } catch (IOException e) {
            String why = String.valueOf(e.getMessage());
            if (why.contains("Permission denied")) {
                r.fail(GROUP, name + ": only root may listen on ports below 1024",
                        "use a port from 1024 up, or give Vane the right in its unit: AmbientCapabilities=CAP_NET_BIND_SERVICE");
                return;
            }
            if (why.contains("assign requested address")) {
                r.fail(GROUP, name + ": " + bind + " is not an address of this machine",
                        "write one of this machine's addresses after the port in the listener line, or none for all");
                return;
            }
        }
        PortOwner.Holder holder = PortOwner.find(l.port());
        String who = holder == null ? "a process vane doctor cannot see (another user's)" : holder.describe();
        if (LocalListener.answersMqtt(l, timeout)) {
            if (holder != null && holder.name().equals("mosquitto")) {
                r.warn(GROUP, name + " is held by Mosquitto " + who,
                        "if Vane is to listen here, stop Mosquitto first: sudo systemctl disable --now mosquitto");
            } else {
                r.pass(GROUP, name + " is in use by the running broker, " + who);
            }
            return;
        }
        r.fail(GROUP, name + " cannot be bound: it is held by " + who + ", which does not answer MQTT",
                (holder == null ? "find it with: sudo ss -ltnp 'sport = :" + l.port() + "', then stop it"
                        : "stop that process (kill " + holder.pid() + ", or stop its service)")
                        + ", or give this listener another free port");
    }
}
