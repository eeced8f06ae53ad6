package io.vane.devices.p1;

import java.io.IOException;
import java.io.InputStream;

/**
 * The line a meter's telegrams arrive on: a serial port or a TCP connection to a converter. One
 * {@link #open()} at a time; {@link #close()} may be called from another thread to end a read.
 * Reads on the returned stream time out after about a second with an {@link java.io.InterruptedIOException},
 * so the reader can notice a silent line and a close.
 */
public interface P1Link extends AutoCloseable {

    /** Opens the line (connects, opens the port); throws with a reason a user can act on. */
    InputStream open() throws IOException;

    /** For logs and the source's state: {@code /dev/ttyUSB0 at 115200 8N1}, {@code 192.168.1.40:2001}. */
    String describe();

    /**
     * For a serial port whose speed was not given: switch to the other P1 speed (115200 8N1 or
     * 9600 7E1) for the next open, and return true. Returns false when the speed is fixed.
     */
    default boolean tryOtherSpeed() {
        return false;
    }

    /** Closes the line if open; idempotent. */
    @Override
    void close();
}
