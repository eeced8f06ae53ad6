package io.vane.transport;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says once a minute per connection that a slow reader is losing QoS 0 messages, as Mosquitto does;
 * the count itself is in $SYS and /api/status. Owned by the connection's event loop.
 */
final class DropNotice {
    private static final Logger LOG = LoggerFactory.getLogger("vane.transport");
    static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final LongSupplier nanoTime;
    private long lastLogged;
    private boolean logged;

    DropNotice(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** The outbound buffer is over its budget; returns whether this call logged. */
    boolean unwritable(String clientId) {
        long now = nanoTime.getAsLong();
        if (logged && now - lastLogged < INTERVAL_NANOS) {
            return false;
        }
        logged = true;
        lastLogged = now;
        LOG.info("Outgoing messages are being dropped for client {}.", clientId);
        return true;
    }
}
