package io.vane.broker.security;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where slow password checks run (argon2id, PBKDF2 with many iterations): a few threads, made on demand
 * and gone when idle, behind a bounded queue. A login storm then waits here instead of stalling every
 * delivery on the event loops; past the queue a login is refused as busy rather than queued without end.
 */
public final class PasswordWork {
    /** Logins waiting for a check; beyond it the answer is "server busy". */
    static final int QUEUE = 1_024;

    private final ThreadPoolExecutor pool;

    public PasswordWork() {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        AtomicInteger n = new AtomicInteger();
        pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "vane-password-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    /** Runs {@code check}; false when the queue is full (the caller refuses the login as busy). */
    public boolean submit(Runnable check) {
        try {
            pool.execute(check);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** For tests and $SYS: threads alive now (0 when no slow check ran lately). */
    public int threads() {
        return pool.getPoolSize();
    }

    public Executor executor() {
        return pool;
    }

    public void close() {
        pool.shutdownNow();
    }
}
