package io.vane.broker.routing;

import io.vane.broker.Message;
import io.vane.protocol.Properties;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retained message of each topic (3.1.1 section 3.3.1.3, 5.0 section 3.3.1.3), within a budget of
 * messages and bytes (max_retained_messages, max_retained_bytes; docs/decisions/0006-size-limits.md).
 * When the budget is full a retained message for a new topic is not stored (it is still routed), counted
 * and logged at most once per {@link #LOG_INTERVAL_MILLIS}; replacing or clearing a stored topic
 * always works (a replacement is stored when it fits once the message it replaces is freed). Messages
 * from inside the broker (no publisher id: $SYS, device sources) count but are never refused. Thread-safe: matching is lock-free, writes are serialized.
 */
public final class RetainedMessages {
    private static final Logger LOG = LoggerFactory.getLogger("vane.retained");
    /** At most one "budget full" line this often; the line says how many were refused since the last. */
    static final long LOG_INTERVAL_MILLIS = 60_000;
    /** Bytes counted for a message beyond its topic, payload and properties: the record and its trie entry. */
    static final int ENTRY_OVERHEAD = 64;

    private final RetainedStore<Message> store = new RetainedStore<>();
    private final LongSupplier clock;
    private final long maxMessages;
    private final long maxBytes;
    private long bytes;
    private long refused;
    private long refusedSinceLog;
    private long lastLog = Long.MIN_VALUE;
    /** Stored topics that the store keeps too (all but $SYS). */
    private long kept;
    private io.vane.broker.persistence.Persistence persistence = io.vane.broker.persistence.Persistence.IN_MEMORY;

    /** Without a budget (tests, embedders that bound input themselves). */
    public RetainedMessages(LongSupplier clock) {
        this(clock, 0, 0);
    }

    /** With a budget; 0 means no limit for that part. */
    public RetainedMessages(LongSupplier clock, long maxMessages, long maxBytes) {
        this.clock = clock;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    /**
     * Stores, replaces, or with an empty payload clears the topic's retained message [MQTT-3.3.1-6, -10].
     * Returns false when the budget refused it: nothing is stored for the topic afterwards (a stored
     * message it would have replaced is cleared, so no stale value outlives a newer one; that happens
     * only when the replacement is larger than the bytes left).
     */
    public synchronized boolean retain(Message message) {
        if (message.payload().length == 0) {
            Message old = store.remove(message.topic());
            if (old != null) {
                bytes -= cost(old);
                if (kept(message.topic())) {
                    kept--;
                    persistence.retainedCleared(message.topic());
                }
            }
            return true;
        }
        long cost = cost(message);
        Message old = store.get(message.topic());
        long freed = old == null ? 0 : cost(old);
        // The broker's own messages ($SYS, device sources, embedders) are counted but never refused.
        boolean fromClient = message.publisherId() != null;
        boolean countFull = fromClient && old == null && maxMessages > 0 && store.size() >= maxMessages;
        boolean bytesFull = fromClient && maxBytes > 0 && bytes - freed + cost > maxBytes;
        if (countFull || bytesFull) {
            if (old != null) {
                store.remove(message.topic(), old);
                bytes -= freed;
                if (kept(message.topic())) {
                    kept--;
                    persistence.retainedCleared(message.topic());
                }
            }
            refused(message, countFull);
            return false;
        }
        store.put(message.topic(), message);
        bytes += cost - freed;
        if (kept(message.topic())) {
            if (old == null) {
                kept++;
            }
            persistence.retained(message);
        }
        return true;
    }

    /**
     * Sets where retained messages are kept; every change after this call is handed to it, in the order
     * the store changes. Call before the broker takes messages.
     */
    public synchronized void keepIn(io.vane.broker.persistence.Persistence where) {
        persistence = where;
    }

    /** Puts back a message the store kept (start-up): counted, never refused, not written again. */
    public synchronized void restore(Message message) {
        Message old = store.get(message.topic());
        store.put(message.topic(), message);
        bytes += cost(message) - (old == null ? 0 : cost(old));
        if (old == null && kept(message.topic())) {
            kept++;
        }
    }

    /** Retained messages the store keeps as well (all but $SYS). */
    public synchronized long keptCount() {
        return kept;
    }

    /** $SYS topics are made anew every interval: writing them to disk would only wear it. */
    private static boolean kept(String topic) {
        return !topic.startsWith("$SYS/");
    }

    private void refused(Message message, boolean countFull) {
        refused++;
        refusedSinceLog++;
        long now = clock.getAsLong();
        if (lastLog == Long.MIN_VALUE || now - lastLog >= LOG_INTERVAL_MILLIS) {
            LOG.warn("Retained message budget full ({}): not storing the retained message on '{}' from {}"
                    + " ({} bytes); {} refused since the last such line. Raise the limit or clear retained topics.",
                    countFull ? "max_retained_messages " + maxMessages : "max_retained_bytes " + maxBytes,
                    forLog(message.topic()), message.publisherId() == null ? "the broker"
                            : forLog(message.publisherId()), message.payload().length, refusedSinceLog);
            lastLog = now;
            refusedSinceLog = 0;
        }
    }

    /** At most 200 characters, control characters as '?': a log line stays one short line. */
    static String forLog(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 203));
        for (int i = 0; i < s.length() && i < 200; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return s.length() > 200 ? b.append("...").toString() : b.toString();
    }

    /** What a stored message counts against max_retained_bytes. */
    static long cost(Message m) {
        return ENTRY_OVERHEAD + m.topic().length() + m.payload().length + propertiesCost(m.properties());
    }

    private static long propertiesCost(Properties p) {
        if (p == null || p.isEmpty()) {
            return 0;
        }
        long n = 16;
        n += p.contentType() == null ? 0 : p.contentType().length();
        n += p.responseTopic() == null ? 0 : p.responseTopic().length();
        n += p.correlationData() == null ? 0 : p.correlationData().length;
        for (var u : p.userProperties()) {
            n += 16 + u.name().length() + u.value().length();
        }
        return n;
    }

    /** Calls the sink for every unexpired retained message matching the filter [MQTT-3.3.1-8]. */
    public void match(String filter, BiConsumer<String, Message> sink) {
        long now = clock.getAsLong();
        store.match(filter, (topic, m) -> {
            if (m.isExpired(now)) {
                expire(topic, m);
            } else {
                sink.accept(topic, m);
            }
        });
    }

    private synchronized void expire(String topic, Message m) {
        if (store.remove(topic, m)) {
            bytes -= cost(m);
            if (kept(topic)) {
                kept--;
                persistence.retainedCleared(topic);
            }
        }
    }

    public int count() {
        return store.size();
    }

    /** Bytes counted against max_retained_bytes now. */
    public synchronized long bytes() {
        return bytes;
    }

    /** Retained messages the budget refused since start. */
    public synchronized long refusedCount() {
        return refused;
    }
}
