package io.vane.broker.persistence;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One QoS 1/2 message's wait for safety while the store is durable: it is safe once every persistent
 * session it was routed to has journaled it (each on its own event loop) and the store has flushed all
 * of that. Routing {@link #expect}s one arrival per such delivery; the publisher's own share is the
 * first. The last {@link #arrive} asks the store for its flush, so one message costs one wait however
 * many sessions it reaches.
 */
public final class PublishTicket {
    private final Persistence persistence;
    private final AtomicInteger pending = new AtomicInteger(1);
    private final CompletableFuture<Void> safe = new CompletableFuture<>();
    /** Whether anything was written for this message; if not, there is nothing to wait for. */
    private volatile boolean written;

    public PublishTicket(Persistence persistence) {
        this.persistence = persistence;
    }

    /** One more delivery will journal the message before it {@link #arrive}s. */
    public void expect() {
        written = true;
        pending.incrementAndGet();
    }

    /** Something outside routing was written for the message (its retained record): wait for the flush. */
    public void written() {
        written = true;
    }

    /** A delivery has handed its records to the store (or found nothing to keep). Any thread. */
    public void arrive() {
        if (pending.decrementAndGet() == 0) {
            if (!written) {
                // No persistent session took it and no retained record: a clean subscriber's QoS 1
                // message does not wait for other sessions' writes.
                safe.complete(null);
                return;
            }
            persistence.flushed().whenComplete((v, e) -> {
                if (e != null) {
                    safe.completeExceptionally(e);
                } else {
                    safe.complete(null);
                }
            });
        }
    }

    /** Completes once the message is on stable storage wherever it must be; fails when the store failed. */
    public CompletionStage<Void> safe() {
        return safe;
    }
}
