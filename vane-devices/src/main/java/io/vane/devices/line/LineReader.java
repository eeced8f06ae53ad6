package io.vane.devices.line;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Random;

/**
 * Reads a {@link DeviceLink} on a thread of its own for as long as the source runs: opens it, hands
 * every read (and every quiet second) to its {@link Handler}, and when the line fails closes it and
 * opens it again after a jittered {@link Backoff}. The P1 meter and the OpenTherm gateway both read
 * their lines through it; what the bytes mean is the handler's business.
 *
 * <p>The handler runs on the reader's thread only. {@link #write} may be called from any thread.
 */
public final class LineReader implements AutoCloseable {
    /** What the source does with its line. Called on the reader's thread. */
    public interface Handler {
        /** The line is open ({@link DeviceLink#describe()} says how). */
        void opened();

        /**
         * {@code n} bytes arrived, or none after a quiet second ({@code n == 0}). Return true to close
         * the line and open it again at once (a P1 meter of unknown speed: the next speed).
         *
         * @param openedAtMillis when this line was opened, by the reader's clock
         */
        boolean received(byte[] bytes, int n, long openedAtMillis, long nowMillis);

        /** The line failed; it is opened again after {@code delayMillis}. */
        void lost(String reason, long delayMillis);
    }

    private final String threadName;
    private final DeviceLink link;
    private final Clock clock;
    private final Handler handler;
    private final Backoff backoff = new Backoff(new Random());
    private final Object writeLock = new Object();
    private volatile boolean closed;
    private Thread thread;

    public LineReader(String threadName, DeviceLink link, Clock clock, Handler handler) {
        this.threadName = threadName;
        this.link = link;
        this.clock = clock;
        this.handler = handler;
    }

    /** Starts the reading thread; returns at once. */
    public void start() {
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Good data came: the next failure waits a second again, not the last doubled wait. Reader's thread. */
    public void healthy() {
        backoff.reset();
    }

    /** The line, for {@link DeviceLink#describe()}. */
    public DeviceLink link() {
        return link;
    }

    /** Writes to the device if the line is open; throws if it is not. Any thread; writes do not interleave. */
    public void write(byte[] bytes) throws IOException {
        synchronized (writeLock) {
            OutputStream out = link.output();
            out.write(bytes);
            out.flush();
        }
    }

    private void run() {
        byte[] buffer = new byte[4096];
        while (!closed) {
            long openedAt = clock.millis();
            try (InputStream in = link.open()) {
                handler.opened();
                while (!closed) {
                    int n;
                    try {
                        n = in.read(buffer);
                    } catch (InterruptedIOException timeout) {
                        n = 0; // a quiet second: the handler looks at the clock
                    }
                    if (n < 0) {
                        throw new IOException("the converter closed the connection");
                    }
                    if (handler.received(buffer, n, openedAt, clock.millis())) {
                        break;
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    break;
                }
                long delay = backoff.nextDelayMillis();
                link.close();
                handler.lost(String.valueOf(e.getMessage()), delay);
                pause(delay);
            } finally {
                link.close();
            }
        }
    }

    private void pause(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        synchronized (this) {
            while (!closed && System.nanoTime() < end) {
                try {
                    wait(Math.max(1, (end - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Stops reading and closes the line; waits up to 3 s for the thread. Idempotent. */
    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            notifyAll();
        }
        link.close();
        if (thread != null && thread != Thread.currentThread()) {
            try {
                thread.join(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
