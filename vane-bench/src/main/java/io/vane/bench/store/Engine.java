package io.vane.bench.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The few operations a durable store needs from an embedded engine, as issue 12 item 3 compares them:
 * open a folder, apply a batch of puts and deletes as one durable commit, read everything back at
 * start-up, close. One thread uses an engine at a time (the store's single writer).
 */
public interface Engine extends AutoCloseable {

    /** Short name used on the command line and in tables: {@code sqlite}, {@code rocksdb}, {@code log}, {@code log-prealloc}. */
    String name();

    /** Opens (creating if missing) the engine's files in {@code dir}, recovering what is there. */
    void open(Path dir) throws IOException;

    /**
     * Applies every operation of {@code batch} in order and returns only once all of them are on stable
     * storage: one sync per call, which is the group commit the store will do.
     */
    void commit(Batch batch) throws IOException;

    /** Visits every live record once; returns how many were visited. */
    long scan(RecordVisitor visitor) throws IOException;

    /** The folder given to {@link #open}, so callers can measure the files the engine keeps there. */
    Path directory();

    @Override
    void close() throws IOException;

    /** Receives records from {@link #scan}; the arrays are the visitor's to keep (never reused). */
    @FunctionalInterface
    interface RecordVisitor {
        void record(byte[] key, byte[] value);
    }

    /** The engines this harness knows, by {@link #name()}. */
    static Engine named(String name) {
        return switch (name) {
            case "sqlite" -> new SqliteEngine();
            case "rocksdb" -> new RocksDbEngine();
            case "log" -> new AppendLogEngine(false);
            case "log-prealloc" -> new AppendLogEngine(true);
            default -> throw new IllegalArgumentException("unknown engine " + name + "; write sqlite, rocksdb, log or log-prealloc");
        };
    }
}
