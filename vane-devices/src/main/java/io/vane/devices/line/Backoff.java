package io.vane.devices.line;

import java.util.Random;

/**
 * How long to wait before reconnecting: 1 s, doubling to at most a minute, each wait shifted by up to
 * a fifth either way so that many dongles that lost the same Wi-Fi do not all return at once.
 */
public final class Backoff {
    static final long FIRST_MILLIS = 1_000;
    static final long MAX_MILLIS = 60_000;

    private final Random random;
    private long next = FIRST_MILLIS;

    public Backoff(Random random) {
        this.random = random;
    }

    /** The wait before the next attempt; each call doubles the one after. */
    public long nextDelayMillis() {
        long base = next;
        next = Math.min(MAX_MILLIS, next * 2);
        double jitter = 0.8 + 0.4 * random.nextDouble();
        return Math.round(base * jitter);
    }

    /** Good data arrived: the next failure starts again from a second. */
    public void reset() {
        next = FIRST_MILLIS;
    }
}
