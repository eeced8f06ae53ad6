package io.vane.bench.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongFunction;

/**
 * The broker's write patterns, each run on a fresh engine in its own folder and measured from after
 * {@code open} to after {@code close} (so the close's own flush or checkpoint is counted).
 */
final class Workloads {
    /** Topic name bytes and metadata bytes in a queued message record, besides the payload. */
    static final int TOPIC_BYTES = 40;
    static final int METADATA_BYTES = 16;

    private final String device;
    private final Random random = new Random(12);

    Workloads(String device) {
        this.device = device;
    }

    /** What one write run measured. */
    record WriteResult(String engine, String workload, int batch, long messages, double seconds,
            long processWriteBytes, long deviceWriteBytes, long diskBytes) {
        double perSecond() {
            return messages / seconds;
        }
    }

    /**
     * QoS 1 to a persistent subscriber: each commit holds {@code batch} new messages (key = session id
     * + sequence, value = topic + payload + metadata) and the deletes of the previous commit's messages,
     * as their PUBACKs arrive one batch later. Stops after {@code messages} or {@code maxSeconds}.
     */
    WriteResult qos1(Engine engine, Path dir, long messages, int batch, int payload, double maxSeconds) throws IOException {
        byte[] session = "session-00000042".getBytes(StandardCharsets.US_ASCII);
        return run(engine, dir, "qos1", batch, maxSeconds, messages, (b, seq, prev, next) -> {
            for (byte[] k : prev) {
                b.delete(k);
            }
            for (int i = 0; i < batch && seq + i < messages; i++) {
                byte[] key = ByteBuffer.allocate(session.length + 8).put(session).putLong(seq + i).array();
                b.put(key, value(TOPIC_BYTES + payload + METADATA_BYTES));
                next.add(key);
            }
            return next.size();
        });
    }

    /** Retained updates: {@code topics} topics overwritten round-robin, {@code batch} per commit. */
    WriteResult retained(Engine engine, Path dir, long messages, int batch, int topics, int valueSize, double maxSeconds)
            throws IOException {
        return run(engine, dir, "retained", batch, maxSeconds, messages, (b, seq, prev, next) -> {
            int n = 0;
            for (; n < batch && seq + n < messages; n++) {
                b.put(retainedTopic((seq + n) % topics), value(valueSize));
            }
            return n;
        });
    }

    /** Writes {@code count} records of {@code valueSize} bytes, keys from {@code key}, {@code batch} per commit. */
    WriteResult load(Engine engine, Path dir, String workload, long count, int batch, LongFunction<byte[]> key,
            int valueSize) throws IOException {
        return run(engine, dir, workload, batch, Double.MAX_VALUE, count, (b, seq, prev, next) -> {
            int n = 0;
            for (; n < batch && seq + n < count; n++) {
                b.put(key.apply(seq + n), value(valueSize));
            }
            return n;
        });
    }

    /** A retained topic of about 30 bytes. */
    static byte[] retainedTopic(long i) {
        return String.format("home/sensor/%07d/temperature", i).getBytes(StandardCharsets.US_ASCII);
    }

    /** A session key of about 20 bytes. */
    static byte[] sessionKey(long i) {
        return String.format("session/client-%07d", i).getBytes(StandardCharsets.US_ASCII);
    }

    /** Random bytes: sensor payloads compress a little, but a worst case keeps engines honest. */
    private byte[] value(int size) {
        byte[] v = new byte[size];
        random.nextBytes(v);
        return v;
    }

    /** Fills one commit; returns how many messages it added. */
    private interface Step {
        int fill(Batch batch, long seq, List<byte[]> previous, List<byte[]> next);
    }

    private WriteResult run(Engine engine, Path dir, String workload, int batchSize, double maxSeconds, long limit,
            Step step) throws IOException {
        IoCounters.deleteTree(dir);
        engine.open(dir);
        long writeBefore = IoCounters.processWriteBytes();
        long deviceBefore = IoCounters.deviceSectorsWritten(device);
        long start = System.nanoTime();
        long deadline = start + (long) (maxSeconds * 1e9);
        Batch batch = new Batch();
        List<byte[]> previous = new ArrayList<>();
        long seq = 0;
        while (seq < limit && System.nanoTime() < deadline) {
            batch.clear();
            List<byte[]> next = new ArrayList<>(batchSize);
            seq += step.fill(batch, seq, previous, next);
            engine.commit(batch);
            previous = next;
        }
        if (!previous.isEmpty()) {
            batch.clear();
            previous.forEach(batch::delete);
            engine.commit(batch);
        }
        engine.close();
        double seconds = (System.nanoTime() - start) / 1e9;
        long written = IoCounters.processWriteBytes() - writeBefore;
        long deviceAfter = IoCounters.deviceSectorsWritten(device);
        long device = deviceBefore < 0 || deviceAfter < 0 ? -1 : (deviceAfter - deviceBefore) * 512;
        return new WriteResult(engine.name(), workload, batchSize, seq, seconds, written, device,
                IoCounters.bytesOnDisk(dir));
    }
}
