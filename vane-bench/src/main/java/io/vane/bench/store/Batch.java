package io.vane.bench.store;

import java.util.ArrayList;
import java.util.List;

/** Puts and deletes to apply as one durable commit ({@link Engine#commit}). Reusable after {@link #clear()}. */
public final class Batch {
    private final List<Op> ops = new ArrayList<>();

    /** One operation: a put, or a delete when {@code value} is null. */
    public record Op(byte[] key, byte[] value) {
        public boolean isDelete() {
            return value == null;
        }
    }

    public Batch put(byte[] key, byte[] value) {
        ops.add(new Op(key, value));
        return this;
    }

    public Batch delete(byte[] key) {
        ops.add(new Op(key, null));
        return this;
    }

    public List<Op> ops() {
        return ops;
    }

    public int size() {
        return ops.size();
    }

    public boolean isEmpty() {
        return ops.isEmpty();
    }

    public void clear() {
        ops.clear();
    }
}
