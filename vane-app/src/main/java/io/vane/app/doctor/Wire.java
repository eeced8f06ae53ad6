package io.vane.app.doctor;

import java.io.IOException;
import java.time.Duration;

/** A byte stream to a broker: a TCP or TLS socket, or binary WebSocket frames. */
interface Wire extends AutoCloseable {

    void write(byte[] bytes) throws IOException;

    /**
     * The next bytes the broker sent, waiting at most {@code timeout}; null when none came in time.
     *
     * @throws java.io.EOFException when the broker closed the connection
     */
    byte[] read(Duration timeout) throws IOException;

    @Override
    void close();
}
