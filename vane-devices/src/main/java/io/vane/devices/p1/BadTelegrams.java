package io.vane.devices.p1;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts rejected telegrams by reason and logs them at most once a minute, so a meter read at the
 * wrong baud rate (a fault per second) leaves one line a minute, saying how many and the latest
 * reason. Thread-safe: the reading thread counts, a status page may read.
 */
public final class BadTelegrams {
    private static final Logger LOG = LoggerFactory.getLogger("vane.devices");
    static final long LOG_INTERVAL_MILLIS = 60_000;

    private final String meter;
    private final Clock clock;
    private final Map<Rejection.Reason, Long> total = new EnumMap<>(Rejection.Reason.class);
    private final Map<Rejection.Reason, Long> sinceLog = new EnumMap<>(Rejection.Reason.class);
    private long lastLogMillis = Long.MIN_VALUE;
    private int linesLogged;
    private Rejection last;

    public BadTelegrams(String meter, Clock clock) {
        this.meter = meter;
        this.clock = clock;
    }

    /** Counts one rejection, and logs if the last line was more than a minute ago. */
    public synchronized void count(Rejection r) {
        total.merge(r.reason(), 1L, Long::sum);
        sinceLog.merge(r.reason(), 1L, Long::sum);
        last = r;
        long now = clock.millis();
        if (lastLogMillis == Long.MIN_VALUE || now - lastLogMillis >= LOG_INTERVAL_MILLIS) {
            StringBuilder counts = new StringBuilder();
            sinceLog.forEach((reason, n) -> counts.append(counts.length() == 0 ? "" : ", ").append(reason.words())
                    .append(": ").append(n));
            LOG.warn("P1 meter {}: ignored {} since {} ({}); latest: {}. Nothing of them was published.", meter,
                    sinceLog.values().stream().mapToLong(Long::longValue).sum(),
                    lastLogMillis == Long.MIN_VALUE ? "start" : "the last report a minute ago", counts, r.detail());
            sinceLog.clear();
            lastLogMillis = now;
            linesLogged++;
        }
    }

    /** Rejections of telegrams themselves (garbage between telegrams is not a telegram). */
    public synchronized long rejectedTelegrams() {
        return total.entrySet().stream().filter(e -> e.getKey() != Rejection.Reason.GARBAGE)
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** How many of {@code reason} so far. */
    public synchronized long count(Rejection.Reason reason) {
        return total.getOrDefault(reason, 0L);
    }

    /** The latest rejection, or null. */
    public synchronized Rejection last() {
        return last;
    }

    /** Log lines written so far, for tests of the rate limit. */
    public synchronized int linesLogged() {
        return linesLogged;
    }
}
