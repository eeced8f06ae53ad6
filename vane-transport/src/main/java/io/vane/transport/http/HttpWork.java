package io.vane.transport.http;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Where HTTP work that grows with data runs (history answers, files read from {@code http_dir}): a small
 * pool of its own with a bounded queue, so no network event loop ever encodes or reads a file and MQTT
 * stays served however many such requests arrive (decision 0009). Two limits refuse work at once instead
 * of queueing it: more than {@link #PER_ADDRESS} such requests of one client address at once (from
 * when they are taken until their answers are written) get 429, a full queue gets 503; both with
 * {@code Retry-After}. Thread-safe; one per server.
 */
public final class HttpWork implements AutoCloseable {
    /**
     * Requests of one client address that may be in progress at once (queued, running or being written):
     * more than a browser makes (six connections to a host, two histories), fewer than an attack.
     */
    public static final int PER_ADDRESS = 8;
    /** Requests that may wait for a worker, from all addresses together. */
    public static final int QUEUE = 32;
    /** Seconds a refused client is told to wait. */
    static final int RETRY_AFTER_SECONDS = 1;

    private final ThreadPoolExecutor pool;
    private final int perAddress;
    /** Requests in the pool per client address; an address with none has no entry. */
    private final ConcurrentHashMap<String, Integer> busy = new ConcurrentHashMap<>();

    /** @param threads workers (1 or 2 suit a small machine: each one can take a core from MQTT) */
    public HttpWork(int threads) {
        this(threads, QUEUE, PER_ADDRESS);
    }

    HttpWork(int threads, int queue, int perAddress) {
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                r -> {
                    Thread t = new Thread(r, "vane-http-" + n.incrementAndGet());
                    t.setDaemon(true);
                    // A hint only (Linux ignores it by default), but the right one: MQTT goes first.
                    t.setPriority(Thread.NORM_PRIORITY - 1);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        this.perAddress = perAddress;
    }

    /** Why work was not taken. */
    public enum Refusal {
        /** This address has {@link #PER_ADDRESS} requests in the pool already: 429. */
        TOO_MANY_FROM_ADDRESS,
        /** The queue is full: 503. */
        QUEUE_FULL
    }

    /** Thrown (as the failure of a job) when work was refused. */
    public static final class RefusedException extends RuntimeException {
        private final Refusal refusal;

        RefusedException(Refusal refusal) {
            super(refusal.name(), null, false, false);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    /**
     * A place of one client address among its {@link #PER_ADDRESS}: held from when its request is taken
     * until its answer has been written (or dropped). Releasing twice is harmless.
     */
    public final class Permit {
        private final String address;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(String address) {
            this.address = address;
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                busy.computeIfPresent(address, (k, v) -> v <= 1 ? null : v - 1);
            }
        }
    }

    /** A place for one more request of {@code address}, or null when it has {@link #PER_ADDRESS} (answer 429). */
    public Permit acquire(String address) {
        boolean[] admitted = new boolean[1];
        busy.compute(address, (k, v) -> {
            int n = v == null ? 0 : v;
            if (n >= perAddress) {
                return v;
            }
            admitted[0] = true;
            return n + 1;
        });
        return admitted[0] ? new Permit(address) : null;
    }

    /**
     * Queues {@code work} for a worker. The future completes with its result, or fails with
     * {@link RefusedException} ({@link Refusal#QUEUE_FULL}) at once when the queue is full. Cancelling it
     * (the connection closed) takes queued work out of the queue; work already running finishes and its
     * result is dropped.
     */
    public <T> CompletableFuture<T> run(Supplier<T> work) {
        Job<T> job = new Job<>(work);
        try {
            pool.execute(job);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new RefusedException(Refusal.QUEUE_FULL));
        }
        return job;
    }

    /**
     * {@link #acquire} and {@link #run} together, the place given back when the work ends (tests and
     * callers that write nothing afterwards).
     */
    public <T> CompletableFuture<T> submit(String address, Supplier<T> work) {
        Permit permit = acquire(address);
        if (permit == null) {
            return CompletableFuture.failedFuture(new RefusedException(Refusal.TOO_MANY_FROM_ADDRESS));
        }
        CompletableFuture<T> job = run(work);
        job.whenComplete((v, e) -> permit.release());
        return job;
    }

    /** Requests in progress for an address (tests). */
    int inPool(String address) {
        return busy.getOrDefault(address, 0);
    }

    /** Requests waiting for a worker (tests). */
    int queued() {
        return pool.getQueue().size();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** A unit of work that is also its own result. */
    private final class Job<T> extends CompletableFuture<T> implements Runnable {
        private final Supplier<T> work;

        Job(Supplier<T> work) {
            this.work = work;
        }

        @Override
        public void run() {
            try {
                if (!isDone()) {
                    complete(work.get());
                }
            } catch (Throwable t) {
                completeExceptionally(t);
            }
        }

        @Override
        public boolean cancel(boolean mayInterrupt) {
            boolean cancelled = super.cancel(false);
            if (cancelled) {
                pool.remove(this);
            }
            return cancelled;
        }
    }
}
