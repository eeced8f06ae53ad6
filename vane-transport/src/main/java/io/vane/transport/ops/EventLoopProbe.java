package io.vane.transport.ops;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Asks every event loop a question once a period and times the answer: how long a task waits before
 * its loop runs it (event-loop lag, for /metrics), and whether every loop still answers (for
 * /health/live and the systemd watchdog). A loop that is stuck — a blocking call, a busy spin — does
 * not answer, and its lag grows from the moment it was asked. One probe at a time per loop, so a stuck
 * loop does not pile up tasks.
 *
 * <p>Thread-safe: the probe thread asks, each loop answers on itself, anyone reads.
 */
public final class EventLoopProbe implements AutoCloseable {
    private final List<Loop> loops = new ArrayList<>();
    private final ScheduledExecutorService timer;
    private final long periodNanos;

    /** One loop's state: when it was last asked (0 when the answer is in), and the last lag measured. */
    private static final class Loop {
        final String name;
        final EventExecutor executor;
        final AtomicLong askedAt = new AtomicLong();
        final AtomicLong lastLagNanos = new AtomicLong();
        final AtomicLong answeredAt;

        Loop(String name, EventExecutor executor, long now) {
            this.name = name;
            this.executor = executor;
            this.answeredAt = new AtomicLong(now);
        }
    }

    /** Starts probing the loops of {@code groups}, named like their threads' group ("accept", "io"). */
    public EventLoopProbe(long period, TimeUnit unit, List<EventLoopGroup> groups, List<String> names) {
        this.periodNanos = unit.toNanos(period);
        long now = System.nanoTime();
        for (int g = 0; g < groups.size(); g++) {
            int i = 0;
            for (EventExecutor e : groups.get(g)) {
                loops.add(new Loop(names.get(g) + "-" + i++, e, now));
            }
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vane-loop-probe");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::ask, 0, periodNanos, TimeUnit.NANOSECONDS);
    }

    private void ask() {
        for (Loop loop : loops) {
            long now = System.nanoTime();
            if (loop.askedAt.get() != 0 || loop.executor.isShuttingDown()) {
                continue; // still waiting for the last answer: its lag is growing
            }
            loop.askedAt.set(now);
            try {
                loop.executor.execute(() -> {
                    long answered = System.nanoTime();
                    loop.lastLagNanos.set(answered - loop.askedAt.get());
                    loop.answeredAt.set(answered);
                    loop.askedAt.set(0);
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                loop.askedAt.set(0); // shutting down
            }
        }
    }

    /** Loop names, in the order {@link #lagSeconds()} gives their figures. */
    public List<String> names() {
        return loops.stream().map(l -> l.name).toList();
    }

    /**
     * Each loop's lag in seconds: the last measured wait, or, while a question is unanswered, how long
     * it has waited so far when that is longer.
     */
    public double[] lagSeconds() {
        long now = System.nanoTime();
        double[] out = new double[loops.size()];
        for (int i = 0; i < out.length; i++) {
            Loop l = loops.get(i);
            long asked = l.askedAt.get();
            long lag = Math.max(l.lastLagNanos.get(), asked == 0 ? 0 : now - asked);
            out[i] = lag / 1e9;
        }
        return out;
    }

    /**
     * The loops that have not answered for longer than {@code limitNanos} (empty while all are well),
     * each as "name (N ms)".
     */
    public List<String> silentLongerThan(long limitNanos) {
        long now = System.nanoTime();
        List<String> silent = new ArrayList<>();
        for (Loop l : loops) {
            long quiet = now - l.answeredAt.get();
            if (quiet > limitNanos + periodNanos) {
                silent.add(l.name + " (" + quiet / 1_000_000 + " ms)");
            }
        }
        return silent;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
