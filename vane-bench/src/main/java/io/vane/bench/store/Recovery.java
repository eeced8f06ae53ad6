package io.vane.bench.store;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Start-up after a crash, each step in a fresh JVM: one child writes a data set and halts without
 * closing (as {@code kill -9} would), the files are synced and dropped from the page cache (as after
 * a power cut), then a second child opens the engine and scans everything.
 */
final class Recovery {
    /** A data set to recover: how many records, their key shape and value size. */
    enum Dataset {
        RETAINED(Workloads::retainedTopic, 100),
        SESSIONS(Workloads::sessionKey, 200);

        final java.util.function.LongFunction<byte[]> key;
        final int valueSize;

        Dataset(java.util.function.LongFunction<byte[]> key, int valueSize) {
            this.key = key;
            this.valueSize = valueSize;
        }
    }

    private final String javaCommand = ProcessHandle.current().info().command().orElse("java");
    private final String heap;

    Recovery(String heap) {
        this.heap = heap;
    }

    /** Runs load then recover in child JVMs; returns the two children's key=value lines merged. */
    Map<String, String> measure(String engine, Dataset dataset, long count, int batch, Path dir, String device)
            throws IOException, InterruptedException {
        IoCounters.deleteTree(dir);
        Map<String, String> result = new HashMap<>(child("load", engine, dataset, count, batch, dir, device));
        dropPageCache(dir);
        result.putAll(child("recover", engine, dataset, count, batch, dir, device));
        return result;
    }

    /** The child's side of {@code load}: write, print, halt without closing. */
    static void load(String engine, Dataset dataset, long count, int batch, Path dir, String device, PrintStream out)
            throws IOException {
        Engine e = Engine.named(engine);
        e.open(dir);
        long writeBefore = IoCounters.processWriteBytes();
        long start = System.nanoTime();
        Batch b = new Batch();
        java.util.Random random = new java.util.Random(7);
        for (long i = 0; i < count; ) {
            b.clear();
            for (int n = 0; n < batch && i < count; n++, i++) {
                byte[] v = new byte[dataset.valueSize];
                random.nextBytes(v);
                b.put(dataset.key.apply(i), v);
            }
            e.commit(b);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf("RESULT load_s=%.2f load_write_bytes=%d disk_bytes=%d%n", seconds,
                IoCounters.processWriteBytes() - writeBefore, IoCounters.bytesOnDisk(dir));
        out.flush();
        Runtime.getRuntime().halt(0);
    }

    /**
     * The child's side of {@code recover}: open, then scan everything into a map as the broker rebuilds
     * its retained tree and sessions from the store; report both times, the heap after open (the
     * engine's own) and with the map (after GC each), and RSS.
     */
    static void recover(String engine, Path dir, PrintStream out) throws IOException {
        // Loading the native library (sqlite-jdbc and rocksdbjni unpack it to /tmp first) costs the same
        // whatever is stored: time it apart, on an empty folder, so open_ms is the recovery itself.
        long nativeStart = System.nanoTime();
        Path empty = java.nio.file.Files.createTempDirectory("engines-empty");
        try (Engine first = Engine.named(engine)) {
            first.open(empty);
        }
        IoCounters.deleteTree(empty);
        long start = System.nanoTime();
        Engine e = Engine.named(engine);
        e.open(dir);
        long opened = System.nanoTime();
        long heapOpen = heapAfterGc();
        long scanStart = System.nanoTime();
        Map<ByteBuffer, byte[]> state = new HashMap<>();
        long records = e.scan((k, v) -> state.put(ByteBuffer.wrap(k), v));
        long scanned = System.nanoTime();
        long rss = IoCounters.residentBytes();
        long heapState = heapAfterGc();
        out.printf("RESULT native_ms=%.0f open_ms=%.0f scan_ms=%.0f records=%d distinct=%d heap_open=%d heap_state=%d rss=%d%n",
                (start - nativeStart) / 1e6, (opened - start) / 1e6, (scanned - scanStart) / 1e6, records, state.size(),
                heapOpen, heapState, rss);
        e.close();
    }

    private static long heapAfterGc() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private Map<String, String> child(String mode, String engine, Dataset dataset, long count, int batch, Path dir,
            String device) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(javaCommand, "-Xmx" + heap, "-cp",
                System.getProperty("java.class.path"), StoreEngineComparison.class.getName(),
                "--child", mode, "--child-engine", engine, "--child-dataset", dataset.name(),
                "--child-count", Long.toString(count), "--load-batch", Integer.toString(batch),
                "--data-dir", dir.toString(), "--device", device));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(mode + " child for " + engine + " failed: " + output);
        }
        Map<String, String> values = new HashMap<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("RESULT ")) {
                for (String kv : line.substring(7).trim().split(" ")) {
                    int eq = kv.indexOf('=');
                    values.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
        }
        return values;
    }

    /** Syncs the engine's files and asks the kernel to drop their cached pages (GNU dd's nocache). */
    static void dropPageCache(Path dir) throws IOException, InterruptedException {
        List<String> sync = new ArrayList<>(List.of("sync"));
        List<Path> files = IoCounters.files(dir);
        files.forEach(f -> sync.add(f.toString()));
        new ProcessBuilder(sync).inheritIO().start().waitFor();
        for (Path f : files) {
            new ProcessBuilder("dd", "if=" + f, "iflag=nocache", "count=0", "status=none").inheritIO().start().waitFor();
        }
    }
}
