package io.vane.broker.session;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes all sessions' queues may hold together (global_max_queued_bytes): each queued message
 * costs its payload plus {@link #ENTRY_COST} for the objects that hold it, so many small messages are
 * bounded as well as a few large ones. Thread-safe; every queue draws from and returns to one budget.
 */
public final class QueueBudget {
    /** Heap bytes one queued message costs beyond its payload (its Outgoing, deque slot, Message). */
    public static final long ENTRY_COST = 96;

    /** No broker-wide bound: only the per-session limits apply. */
    public static final QueueBudget UNLIMITED = new QueueBudget(0);

    private final long max;
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lastLoggedNanos = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);
    private static final long LOG_INTERVAL_NANOS = 60_000_000_000L;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("vane.broker");

    /** @param max bytes, 0 for no limit */
    public QueueBudget(long max) {
        this.max = max;
    }

    static long cost(int payloadBytes) {
        return payloadBytes + ENTRY_COST;
    }

    /** Takes {@code bytes} from the budget; false (and nothing taken) when that would exceed it. */
    boolean tryTake(long bytes) {
        if (max == 0) {
            used.addAndGet(bytes);
            return true;
        }
        long now;
        do {
            now = used.get();
            if (now + bytes > max) {
                refused.incrementAndGet();
                logFull();
                return false;
            }
        } while (!used.compareAndSet(now, now + bytes));
        return true;
    }

    /** Once a minute for the whole broker, however many sessions hit the budget. */
    private void logFull() {
        long last = lastLoggedNanos.get();
        long now = System.nanoTime();
        if (now - last >= LOG_INTERVAL_NANOS && lastLoggedNanos.compareAndSet(last, now)) {
            LOG.warn("Queued messages reached global_max_queued_bytes ({} bytes): new messages for offline and"
                    + " slow clients are dropped ({} so far); raise it, or lower max_queued_messages.", max,
                    refused.get());
        }
    }

    void giveBack(long bytes) {
        used.addAndGet(-bytes);
    }

    public long max() {
        return max;
    }

    /** Bytes queued now, across all sessions; for $SYS. */
    public long used() {
        return used.get();
    }

    /** Messages not queued because the budget was full, since start; for $SYS. */
    public long refused() {
        return refused.get();
    }
}
