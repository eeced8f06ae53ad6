package io.vane.app.cli;

import io.vane.app.config.VaneConfig;
import io.vane.transport.ListenerConfig;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Turns an exception from {@code Vane.start} into one line a user can act on. */
final class StartFailure {

    private StartFailure() {
    }

    static String describe(VaneConfig config, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            // Netty's epoll transport reports EADDRINUSE as its own IOException, not a BindException.
            if (t instanceof BindException
                    || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
                return "Error: Address already in use: port " + busyPort(config)
                        + ". Is another broker running? Stop it or choose another port with -p.";
            }
        }
        String detail = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return "Error: Vane could not start: " + detail;
    }

    /**
     * Which listener's port is taken. Netty's BindException does not say, so try binding each
     * configured port; Vane has released its own sockets by the time start() throws.
     */
    private static String busyPort(VaneConfig config) {
        for (ListenerConfig listener : config.listeners()) {
            InetSocketAddress address = listener.bindAddress() == null || listener.bindAddress().isEmpty()
                    ? new InetSocketAddress(listener.port()) : new InetSocketAddress(listener.bindAddress(),
                            listener.port());
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(address);
            } catch (IOException e) {
                return Integer.toString(listener.port());
            }
        }
        return config.listeners().stream().map(l -> Integer.toString(l.port()))
                .reduce((a, b) -> a + " or " + b).orElse("?");
    }
}
