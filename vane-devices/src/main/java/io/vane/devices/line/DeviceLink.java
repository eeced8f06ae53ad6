package io.vane.devices.line;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The line a device talks on: a serial port or a TCP connection to a converter (a P1 meter's telegrams,
 * an OpenTherm gateway's frames and command answers). One {@link #open()} at a time; {@link #close()} may
 * be called from another thread to end a read. Reads on the returned stream time out after about a second
 * with an {@link java.io.InterruptedIOException}, so the reader can notice a silent line and a close.
 */
public interface DeviceLink extends AutoCloseable {

    /** Opens the line (connects, opens the port); throws with a reason a user can act on. */
    InputStream open() throws IOException;

    /** Where bytes for the device go while the line is open (an OpenTherm gateway's commands). */
    OutputStream output() throws IOException;

    /** For logs and the source's state: {@code /dev/ttyUSB0 at 115200 8N1}, {@code 192.168.1.40:2001}. */
    String describe();

    /**
     * For a serial port whose speed was not given: switch to the next speed to try (P1: 115200 8N1 or
     * 9600 7E1) for the next open, and return true. Returns false when the speed is fixed.
     */
    default boolean tryOtherSpeed() {
        return false;
    }

    /** Closes the line if open; idempotent. */
    @Override
    void close();
}
