package io.vane.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bound on what all connections together may have queued towards slow readers. Each connection's
 * write-buffer marks bound it alone (docs/decisions/0002-queue-overflow.md), but a thousand browsers
 * on a bad network times 512 KiB is more than a small machine's heap. A connection that still has
 * bytes queued after a flush is watched; every 100 ms the queued bytes of the watched connections are
 * summed (those that drained are dropped from the watch, so idle connections cost nothing); while
 * the sum is over the budget, a connection holding more than its share (budget / connections) takes
 * no more QoS 0 messages, so the slowest readers drop first and the others are not touched.
 */
final class OutboundBudget implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("vane.transport");
    static final long SAMPLE_MILLIS = 100;
    private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final long budgetBytes;
    /** Connections that had bytes queued after their last flush. */
    private final Set<Channel> watched = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final ScheduledFuture<?> sampler;
    private volatile long queuedBytes;
    private volatile long shareBytes;
    private long lastLogNanos = System.nanoTime() - LOG_EVERY_NANOS;

    /** @param sampleOn where the 100 ms sum runs; null to call {@link #sample()} by hand (tests) */
    OutboundBudget(long budgetBytes, EventExecutor sampleOn) {
        this.budgetBytes = budgetBytes;
        this.shareBytes = budgetBytes;
        this.sampler = sampleOn == null ? null
                : sampleOn.scheduleAtFixedRate(this::sample, SAMPLE_MILLIS, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** A quarter of the heap: what is queued is buffers plus about 100 bytes of objects per packet. */
    static long forThisJvm() {
        return Runtime.getRuntime().maxMemory() / 4;
    }

    /** Counts a new connection towards the shares. */
    void add(Channel ch) {
        connections.incrementAndGet();
        ch.closeFuture().addListener(f -> {
            connections.decrementAndGet();
            watched.remove(ch);
        });
    }

    /** After a flush, on the connection's loop: watch it while it has bytes the socket did not take. */
    void flushed(Channel ch) {
        if (queued(ch) > 0 && ch.isOpen()) {
            watched.add(ch);
        }
    }

    /** Sums what the watched connections have queued; runs every 100 ms. */
    void sample() {
        long sum = 0;
        for (Channel ch : watched) {
            long q = queued(ch);
            if (q == 0 || !ch.isOpen()) {
                watched.remove(ch);
            }
            sum += q;
        }
        int n = connections.get();
        queuedBytes = sum;
        shareBytes = budgetBytes / Math.max(1, n);
        if (sum > budgetBytes && System.nanoTime() - lastLogNanos >= LOG_EVERY_NANOS) {
            lastLogNanos = System.nanoTime();
            LOG.warn("Outgoing queues hold {} KiB for {} connections, over the budget of {} KiB: "
                    + "QoS 0 messages are dropped for the slowest readers.", sum / 1024, n, budgetBytes / 1024);
        }
    }

    /** False while the broker is over its budget and this connection holds more than its share. */
    boolean mayQueue(Channel ch) {
        return queuedBytes <= budgetBytes || queued(ch) < shareBytes;
    }

    int watchedCount() {
        return watched.size();
    }

    long queuedBytes() {
        return queuedBytes;
    }

    long budgetBytes() {
        return budgetBytes;
    }

    private static long queued(Channel ch) {
        ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    @Override
    public void close() {
        if (sampler != null) {
            sampler.cancel(false);
        }
    }
}
