package io.vane.transport;

import io.netty.channel.Channel;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** max_connections for one listener: connections beyond it are closed as they arrive. Thread-safe. */
final class ConnectionLimit {
    private static final Logger LOG = LoggerFactory.getLogger("vane.transport");

    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    /** @param max the limit, or -1 for none (Mosquitto's default) */
    ConnectionLimit(int max) {
        this.max = max;
    }

    /** Counts the channel in if there is room (and out when it closes); false means close it now. */
    boolean admit(Channel ch) {
        if (max < 0) {
            return true;
        }
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            LOG.info("Client connection from {} denied: max_connections ({}) reached on port {}.",
                    ch.remoteAddress(), max, ((java.net.InetSocketAddress) ch.localAddress()).getPort());
            return false;
        }
        ch.closeFuture().addListener(f -> open.decrementAndGet());
        return true;
    }

    int open() {
        return open.get();
    }
}
