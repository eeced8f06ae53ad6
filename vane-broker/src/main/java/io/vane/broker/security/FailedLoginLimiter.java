package io.vane.broker.security;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Slows down password guessing: after a few failed logins from one address within ten minutes, each
 * further refusal from it waits longer (1 s, doubling, up to 60 s). Bounded: it remembers at most
 * {@link #MAX_ADDRESSES} addresses, forgetting the least recently seen. Thread-safe.
 */
public final class FailedLoginLimiter {
    static final int FREE_FAILURES = 3;
    static final long WINDOW_MILLIS = 10 * 60_000L;
    static final long MAX_DELAY_MILLIS = 60_000L;
    static final int MAX_ADDRESSES = 10_000;

    private final LongSupplier clock;
    private final Map<String, long[]> failures = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    public FailedLoginLimiter(LongSupplier clock) {
        this.clock = clock;
    }

    /** Records a failed login from the host part of {@code remoteAddress}; returns how long to delay the refusal. */
    public synchronized long recordFailure(String remoteAddress) {
        String host = host(remoteAddress);
        long now = clock.getAsLong();
        long[] entry = failures.get(host); // {count, first failure time}
        if (entry == null || now - entry[1] > WINDOW_MILLIS) {
            entry = new long[] {0, now};
            failures.put(host, entry);
        }
        entry[0]++;
        long over = entry[0] - FREE_FAILURES;
        if (over <= 0) {
            return 0;
        }
        return Math.min(MAX_DELAY_MILLIS, 1000L << Math.min(over - 1, 16));
    }

    /** A successful login clears the address's record. */
    public synchronized void recordSuccess(String remoteAddress) {
        failures.remove(host(remoteAddress));
    }

    synchronized int size() {
        return failures.size();
    }

    /** "127.0.0.1:5000" -> "127.0.0.1"; "[::1]:5000" or "::1:5000" -> the address without the port. */
    static String host(String remoteAddress) {
        int colon = remoteAddress.lastIndexOf(':');
        return colon > 0 ? remoteAddress.substring(0, colon) : remoteAddress;
    }
}
