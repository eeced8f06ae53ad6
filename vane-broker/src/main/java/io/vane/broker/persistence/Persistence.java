package io.vane.broker.persistence;

import io.vane.broker.Message;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where the broker's state is kept beyond the process: retained messages and persistent sessions (the
 * latter through {@link #sessions()}). The broker calls it on its own threads and never waits on it
 * there; a caller that must not acknowledge before the data is safe waits on {@link #flushed()}.
 *
 * <p>The rule a durable implementation keeps (docs/decisions/0007): every change handed to it is written
 * in the order it was handed over, and the stage from {@link #flushed()} completes only once everything
 * handed over before the call is on stable storage. {@link #IN_MEMORY} keeps nothing.
 */
public interface Persistence extends AutoCloseable {

    /** Everything in memory, as with {@code persistence false}: nothing is written, nothing is waited for. */
    Persistence IN_MEMORY = new Persistence() {
        @Override
        public SessionJournal sessions() {
            return SessionJournal.IN_MEMORY;
        }
    };

    /** Whether anything is written at all; false lets the broker skip every wait. */
    default boolean isDurable() {
        return false;
    }

    /** The journal persistent sessions write their changes to. */
    SessionJournal sessions();

    /**
     * The topic's retained message is now {@code message}; called in the order the retained store changes
     * (under its lock), so the last call for a topic is the value kept.
     */
    default void retained(Message message) {
    }

    /** The topic has no retained message any more (cleared, or refused by the budget). */
    default void retainedCleared(String topic) {
    }

    /** Completes once everything handed over before this call is on stable storage. */
    default CompletionStage<Void> flushed() {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Hands the stored state to the broker at start-up, before any client connects: retained messages
     * first, then sessions. Called once.
     */
    default void recover(Recovery into) {
    }

    /** Changes handed over and not yet committed; for $SYS. */
    default long pendingChanges() {
        return 0;
    }

    /** Bytes the store's files take on disk; for $SYS. */
    default long storedBytes() {
        return 0;
    }

    /** Why writing fails now (disk full, read-only), or null while it works; for $SYS and health. */
    default String failure() {
        return null;
    }

    /** Flushes what is pending and closes the files. */
    @Override
    default void close() {
    }

    /** What {@link #recover} hands over. */
    interface Recovery {
        void retained(Message message);

        void session(StoredSession session);
    }
}
