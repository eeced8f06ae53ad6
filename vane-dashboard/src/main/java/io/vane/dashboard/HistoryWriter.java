package io.vane.dashboard;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the history to its file in batches, on a thread of its own ({@code vane-history}): the thread
 * that receives packets only offers each point to a bounded queue, so neither it nor an event loop ever
 * waits for the disk, and the message store's writer never waits for this one (another file, another
 * connection, another thread).
 *
 * <p>A batch is whatever arrived in {@code intervalMillis} (5 s in Vane: about two weather packets), in
 * one transaction. Queue full: the point is not written (it is still in memory for the day chart),
 * counted, and said in a WARN line at most once a minute. A failed commit (disk full) is logged the same
 * way and the batch is dropped: history is not acknowledged data, and holding batches would grow the heap.
 */
final class HistoryWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("vane.history");
    static final int QUEUE = 10_000;

    private final HistoryFile file;
    private final List<HistoryTier> tiers;
    private final long rawKeepMillis;
    private final Collection<String> topics;
    private final LongSupplier clock;
    private final long intervalMillis;
    /** Told the topics of each committed batch: their downsampled answers are stale. */
    private final Consumer<Collection<String>> committed;
    private final BlockingQueue<HistoryPoint> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Thread thread;
    private volatile boolean closing;
    private long dropped;
    private long failed;
    private long lastWarn = Long.MIN_VALUE;
    /** Drops already said in a WARN line: a line is written only when there are new ones. */
    private long warnedDropped;

    HistoryWriter(HistoryFile file, List<HistoryTier> tiers, long rawKeepMillis, Collection<String> topics,
            LongSupplier clock, long intervalMillis, Consumer<Collection<String>> committed) {
        this.file = file;
        this.tiers = tiers;
        this.rawKeepMillis = rawKeepMillis;
        this.topics = topics;
        this.clock = clock;
        this.intervalMillis = intervalMillis;
        this.committed = committed;
        this.thread = new Thread(this::run, "vane-history");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Any thread: hands a point over without waiting. */
    void offer(HistoryPoint p) {
        if (!queue.offer(p)) {
            synchronized (this) {
                dropped++;
            }
        }
    }

    private void run() {
        List<HistoryPoint> batch = new ArrayList<>();
        while (true) {
            long deadline = System.nanoTime() + intervalMillis * 1_000_000L;
            try {
                while (!closing) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    // Wakes at least every 100 ms to see close() without being interrupted inside SQLite.
                    HistoryPoint p = queue.poll(Math.min(left, 100_000_000L), TimeUnit.NANOSECONDS);
                    if (p != null) {
                        batch.add(p);
                    }
                }
            } catch (InterruptedException e) {
                closing = true;
            }
            queue.drainTo(batch);
            if (!batch.isEmpty()) {
                write(batch);
                batch.clear();
            }
            warnDrops();
            if (closing && queue.isEmpty()) {
                return;
            }
        }
    }

    private void write(List<HistoryPoint> batch) {
        Buckets buckets = new Buckets(tiers);
        java.util.Set<String> touched = new java.util.LinkedHashSet<>();
        for (HistoryPoint p : batch) {
            buckets.add(p.topic(), p.millis(), p.values());
            touched.add(p.topic());
        }
        try {
            file.write(batch, buckets, tiers, rawKeepMillis, clock.getAsLong(), topics);
            committed.accept(touched);
        } catch (SQLException e) {
            synchronized (this) {
                failed += batch.size();
            }
            if (clock.getAsLong() - lastWarn >= 60_000 || lastWarn == Long.MIN_VALUE) {
                lastWarn = clock.getAsLong();
                LOG.warn("The dashboard history {} cannot be written ({}); {} point(s) not kept on disk so far.",
                        file.path(), e.getMessage(), failed);
            }
        }
    }

    private void warnDrops() {
        long d;
        synchronized (this) {
            d = dropped;
        }
        if (d > warnedDropped && (lastWarn == Long.MIN_VALUE || clock.getAsLong() - lastWarn >= 60_000)) {
            lastWarn = clock.getAsLong();
            warnedDropped = d;
            LOG.warn("The dashboard history's writer queue ({} points) was full: {} point(s) not written to {}.",
                    QUEUE, d, file.path());
        }
    }

    /** Points not written because the queue was full. */
    synchronized long dropped() {
        return dropped;
    }

    /** Writes what is queued, stops the thread (waiting up to 10 s) and leaves the file to its owner. */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
