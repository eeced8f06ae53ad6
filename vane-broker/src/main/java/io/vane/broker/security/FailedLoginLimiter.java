package io.vane.broker.security;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Slows down password guessing from one address, parallel or not (decision 0008).
 *
 * <p>Every login attempt that carries credentials takes a turn in its address's queue <em>before</em>
 * its outcome is known, and is counted as a failure for now: after {@link #FREE_FAILURES} failures
 * within ten minutes, each further attempt is answered a growing delay after the previous one's answer
 * (1 s, doubling, up to 60 s). So 300 parallel guesses are answered no sooner than 300 guesses in a
 * row would be, and a right password is answered exactly when a wrong one would have been: neither
 * the time of the answer nor a CONNECT timeout tells them apart.
 *
 * <p>A success ({@link #succeeded}) takes back only the failures counted under its own user name, so
 * a user who mistyped and then got it right is not slowed, while an attacker's login to an account of
 * their own resets nothing of the guesses at other names. The queue never reaches further than
 * {@link #MAX_QUEUE_MILLIS} ahead.
 *
 * <p>Bounded: at most {@link #MAX_ADDRESSES} addresses (the least recently seen forgotten), and
 * {@link #MAX_USERS_PER_ADDRESS} names per address. Thread-safe.
 */
public final class FailedLoginLimiter {
    static final int FREE_FAILURES = 3;
    static final long WINDOW_MILLIS = 10 * 60_000L;
    static final long MAX_DELAY_MILLIS = 60_000L;
    /** How far ahead an address's answers may be queued: a flood locks it for at most this long. */
    static final long MAX_QUEUE_MILLIS = WINDOW_MILLIS;
    static final int MAX_ADDRESSES = 10_000;
    static final int MAX_USERS_PER_ADDRESS = 1_000;

    /** One address's record. */
    private static final class Entry {
        int failures;
        long firstFailure;
        /** When the last queued answer is due; the next one comes after it. */
        long lastAnswer;
        /** Failures by user name ("" for none), so a success takes back only its own. */
        final Map<String, Integer> byUser = new HashMap<>();

        Entry(long now) {
            firstFailure = now;
            lastAnswer = now;
        }
    }

    private final LongSupplier clock;
    private final Map<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    public FailedLoginLimiter(LongSupplier clock) {
        this.clock = clock;
    }

    /**
     * A login attempt with credentials from the host part of {@code remoteAddress}, as {@code user}
     * (may be null). Counts it as a failure until {@link #succeeded} says otherwise, and returns how many
     * milliseconds to wait before answering it, whatever the password check says.
     */
    public synchronized long attempt(String remoteAddress, String user) {
        String host = host(remoteAddress);
        long now = clock.getAsLong();
        Entry e = entries.get(host);
        if (e == null || (now - e.firstFailure > WINDOW_MILLIS && e.lastAnswer <= now)) {
            e = new Entry(now);
            entries.put(host, e);
        }
        e.failures++;
        String key = user == null ? "" : user;
        if (e.byUser.containsKey(key) || e.byUser.size() < MAX_USERS_PER_ADDRESS) {
            e.byUser.merge(key, 1, Integer::sum);
        }
        long answerAt = Math.min(Math.max(now, e.lastAnswer) + delayAfter(e.failures), now + MAX_QUEUE_MILLIS);
        e.lastAnswer = Math.max(e.lastAnswer, answerAt);
        return answerAt - now;
    }

    /** The delay after the previous answer for the {@code n}-th failure in the window. */
    static long delayAfter(int n) {
        long over = n - FREE_FAILURES;
        return over <= 0 ? 0 : Math.min(MAX_DELAY_MILLIS, 1000L << Math.min(over - 1, 16));
    }

    /**
     * The attempt of {@code user} from this address was right (call it when answering, not before):
     * that user's failures stop counting; other users' failures from the address stay.
     */
    public synchronized void succeeded(String remoteAddress, String user) {
        String host = host(remoteAddress);
        Entry e = entries.get(host);
        if (e == null) {
            return;
        }
        Integer mine = e.byUser.remove(user == null ? "" : user);
        if (mine != null) {
            e.failures = Math.max(0, e.failures - mine);
        }
        if (e.failures == 0 && e.lastAnswer <= clock.getAsLong()) {
            entries.remove(host);
        }
    }

    synchronized int size() {
        return entries.size();
    }

    /** "127.0.0.1:5000" -> "127.0.0.1"; "[::1]:5000" or "::1:5000" -> the address without the port. */
    static String host(String remoteAddress) {
        int colon = remoteAddress.lastIndexOf(':');
        return colon > 0 ? remoteAddress.substring(0, colon) : remoteAddress;
    }
}
