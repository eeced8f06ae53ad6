package io.vane.app;

import io.vane.app.config.VaneConfig;

/**
 * A running Vane: broker plus listeners, started in-process from a {@link VaneConfig}. This is the
 * embeddable API that the command line, the tests and the device sources use.
 */
public final class Vane implements AutoCloseable {

    private Vane() {
    }

    /** Binds every listener and starts the broker; throws if a port cannot be bound. */
    public static Vane start(VaneConfig config) {
        throw new UnsupportedOperationException("to be written");
    }

    /** The port listener {@code index} (in config order) is bound to; useful with port 0. */
    public int port(int index) {
        throw new UnsupportedOperationException("to be written");
    }

    /** Stops listeners, disconnects clients and releases resources. Idempotent. */
    @Override
    public void close() {
    }
}
