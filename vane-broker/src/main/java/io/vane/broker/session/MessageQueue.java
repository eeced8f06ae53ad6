package io.vane.broker.session;

import io.vane.broker.delivery.Outgoing;
import io.vane.broker.persistence.SessionJournal;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Messages waiting beyond the in-flight window or for the client to come back, oldest first, bounded
 * by {@link QueueLimits} in count and payload bytes. Owner thread only; every change is journaled.
 */
final class MessageQueue {
    private final Session session;
    private final SessionJournal journal;
    private QueueLimits limits;
    private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
    private long bytes;
    /** queue.size(), for routing threads (the deque itself is the owner's). */
    private volatile int count;

    void setLimits(QueueLimits newLimits) {
        limits = newLimits;
    }

    MessageQueue(Session session, SessionJournal journal, QueueLimits limits) {
        this.session = session;
        this.journal = journal;
        this.limits = limits;
    }

    /** Why {@link #offer} refused, or null when it took the message. */
    enum Full { SESSION, BROKER }

    /** Appends the message; returns null, or why it is full (and nothing changes). */
    Full offer(Outgoing out, boolean paced) {
        if (limits.isFull(queue.size(), bytes, paced ? 2 : 1)) {
            return Full.SESSION;
        }
        if (!limits.budget().tryTake(QueueBudget.cost(out.message().payload().length))) {
            return Full.BROKER;
        }
        queue.add(out);
        count = queue.size();
        bytes += out.message().payload().length;
        journal.queued(session, out);
        return null;
    }

    Outgoing peek() {
        return queue.peek();
    }

    /** Removes and returns the head, or null. */
    Outgoing poll() {
        Outgoing head = take();
        if (head != null) {
            journal.dequeued(session, head);
        }
        return head;
    }

    /**
     * Removes the head to send it at QoS 1/2: the caller journals the step with
     * {@link SessionJournal#sentFromQueue} (or {@link SessionJournal#dequeued} if it cannot be sent).
     */
    Outgoing pollForSend() {
        return take();
    }

    private Outgoing take() {
        Outgoing head = queue.poll();
        if (head != null) {
            count = queue.size();
            bytes -= head.message().payload().length;
            limits.budget().giveBack(QueueBudget.cost(head.message().payload().length));
        }
        return head;
    }

    /** Puts back a message the store kept (start-up): within the broker budget, not journaled again. */
    void restore(Outgoing out) {
        limits.budget().tryTake(QueueBudget.cost(out.message().payload().length));
        queue.add(out);
        count = queue.size();
        bytes += out.message().payload().length;
    }

    void forEach(java.util.function.Consumer<Outgoing> action) {
        queue.forEach(action);
    }

    /** Whether the queue is past its high-water mark (publishers should wait). */
    boolean isHigh() {
        return limits.isHigh(queue.size(), bytes);
    }

    /** Whether the queue is back at its low-water mark. */
    boolean isLow() {
        return limits.isLow(queue.size(), bytes);
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    int size() {
        return queue.size();
    }

    /** The size as last published by the owner; any thread. */
    int sizeAnyThread() {
        return count;
    }

    long bytes() {
        return bytes;
    }

    /** Removes messages expired at {@code now}; returns how many. */
    int purgeExpired(long now) {
        int n = 0;
        for (Iterator<Outgoing> it = queue.iterator(); it.hasNext(); ) {
            Outgoing o = it.next();
            if (o.message().isExpired(now)) {
                it.remove();
                bytes -= o.message().payload().length;
                limits.budget().giveBack(QueueBudget.cost(o.message().payload().length));
                journal.dequeued(session, o);
                n++;
            }
        }
        count = queue.size();
        return n;
    }

    /** Forgets every message (the caller journals the clear). */
    void clear() {
        for (Outgoing o : queue) {
            limits.budget().giveBack(QueueBudget.cost(o.message().payload().length));
        }
        queue.clear();
        count = 0;
        bytes = 0;
    }
}
