package io.vane.app.service;

import io.vane.app.Vane;
import java.net.InetSocketAddress;
import java.util.stream.Collectors;

/** The one line {@code systemctl status vane} shows under "Status:". */
public final class ServiceStatus {
    private ServiceStatus() {
    }

    /** e.g. "Listening on ports 1883, 9001; 2 clients connected". */
    public static String of(Vane vane) {
        String ports = vane.boundAddresses().stream().map(InetSocketAddress::getPort).map(String::valueOf)
                .collect(Collectors.joining(", "));
        int clients = vane.broker().stats().clientsConnected();
        return "Listening on port" + (vane.boundAddresses().size() == 1 ? " " : "s ") + ports + "; " + clients
                + " client" + (clients == 1 ? "" : "s") + " connected";
    }
}
