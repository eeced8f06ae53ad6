package io.vane.bench.store;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures embedded storage engines under the durable store's write and start-up patterns (issue 12
 * item 3; the figures are in docs/decisions/0007-durable-store-engine.md). One engine and workload at
 * a time, on one thread, each in a fresh folder:
 *
 * <pre>
 * java -cp vane-bench/target/benchmarks.jar io.vane.bench.store.StoreEngineComparison --help
 * </pre>
 */
@Command(name = "store-engines", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Compare SQLite, RocksDB and a JDK append-only log as Vane's durable store.")
public final class StoreEngineComparison implements Callable<Integer> {

    @Option(names = {"-e", "--engines"}, split = ",", description = "sqlite, rocksdb, log, log-prealloc (default: ${DEFAULT-VALUE}).")
    List<String> engines = List.of("sqlite", "rocksdb", "log", "log-prealloc");
    @Option(names = {"-w", "--workloads"}, split = ",",
            description = "qos1, retained, recovery, sessions (default: ${DEFAULT-VALUE}).")
    List<String> workloads = List.of("qos1", "retained", "recovery", "sessions");
    @Option(names = {"-n", "--messages"}, description = "Messages per qos1/retained run (default: ${DEFAULT-VALUE}).")
    long messages = 50_000;
    @Option(names = {"-b", "--batch-sizes"}, split = ",", description = "qos1 messages per commit (default: ${DEFAULT-VALUE}).")
    List<Integer> batchSizes = List.of(1, 32, 256);
    @Option(names = "--payload", description = "qos1 payload bytes; the record adds 40 B topic + 16 B metadata (default: ${DEFAULT-VALUE}).")
    int payload = 64;
    @Option(names = {"-r", "--rounds"}, description = "Runs of each qos1/retained row; the table shows medians (default: ${DEFAULT-VALUE}).")
    int rounds = 3;
    @Option(names = "--max-seconds", description = "Upper bound on one qos1/retained run (default: ${DEFAULT-VALUE}).")
    double maxSeconds = 20;
    @Option(names = "--retained-topics", description = "Topics the retained run overwrites in turn (default: ${DEFAULT-VALUE}).")
    int retainedTopics = 1000;
    @Option(names = "--retained-batch", description = "Retained updates per commit (default: ${DEFAULT-VALUE}).")
    int retainedBatch = 32;
    @Option(names = "--value-size", description = "Retained value bytes (default: ${DEFAULT-VALUE}).")
    int valueSize = 100;
    @Option(names = "--recovery-records", description = "Retained records written before the recovery run (default: ${DEFAULT-VALUE}).")
    long recoveryRecords = 1_000_000;
    @Option(names = "--sessions", description = "Session records (200 B) for the sessions recovery run (default: ${DEFAULT-VALUE}).")
    long sessions = 100_000;
    @Option(names = "--load-batch", description = "Records per commit when writing a recovery data set (default: ${DEFAULT-VALUE}).")
    int loadBatch = 1000;
    @Option(names = "--child-heap", description = "-Xmx of the recovery JVMs (default: ${DEFAULT-VALUE}).")
    String childHeap = "1g";
    @Option(names = "--data-dir", description = "Folder for the engines' files; emptied per run (default: ${DEFAULT-VALUE}).")
    Path dataDir = Path.of("/tmp/engines-data");
    @Option(names = "--device", description = "Block device under --data-dir, for /sys/block/DEV/stat (default: ${DEFAULT-VALUE}).")
    String device = "vda";

    @Option(names = "--child", hidden = true)
    String child;
    @Option(names = "--child-engine", hidden = true)
    String childEngine;
    @Option(names = "--child-dataset", hidden = true)
    Recovery.Dataset childDataset;
    @Option(names = "--child-count", hidden = true)
    long childCount;

    PrintStream out = System.out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new StoreEngineComparison()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if ("load".equals(child)) {
            Recovery.load(childEngine, childDataset, childCount, loadBatch, dataDir, device, out);
            return 0;
        }
        if ("recover".equals(child)) {
            Recovery.recover(childEngine, dataDir, out);
            return 0;
        }
        out.printf("# %d cores, %s, data in %s (device %s)%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), dataDir, device);
        Workloads w = new Workloads(device);
        if (workloads.contains("qos1") || workloads.contains("retained")) {
            out.printf("Medians of %d runs; msg/s min-max in brackets; device = every write to %s in the run (journal included)%n",
                    rounds, device);
            out.println("| engine | workload | batch | messages | msg/s | device write B/msg | process write_bytes B/msg | files on disk |");
            out.println("|---|---|---:|---:|---:|---:|---:|---:|");
        }
        for (String engine : engines) {
            if (workloads.contains("qos1")) {
                for (int batch : batchSizes) {
                    row(repeat(() -> w.qos1(Engine.named(engine), dataDir.resolve(engine), messages, batch, payload, maxSeconds)));
                }
            }
            if (workloads.contains("retained")) {
                row(repeat(() -> w.retained(Engine.named(engine), dataDir.resolve(engine), messages, retainedBatch,
                        retainedTopics, valueSize, maxSeconds)));
            }
        }
        Recovery recovery = new Recovery(childHeap);
        for (String workload : List.of("recovery", "sessions")) {
            if (!workloads.contains(workload)) {
                continue;
            }
            boolean retained = workload.equals("recovery");
            long count = retained ? recoveryRecords : sessions;
            out.printf("%n%s: %,d records, written %d per commit, then a halt (no close), page cache dropped, fresh JVM -Xmx%s%n",
                    retained ? "retained (30 B topic, 100 B value)" : "sessions (20 B key, 200 B value)", count, loadBatch, childHeap);
            out.println("| engine | load s | load write B/record | files on disk | native load ms | open ms | scan into map ms | records | heap after open | heap with map | RSS |");
            out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            for (String engine : engines) {
                Map<String, String> r = recovery.measure(engine, retained ? Recovery.Dataset.RETAINED : Recovery.Dataset.SESSIONS,
                        count, loadBatch, dataDir.resolve(engine), device);
                out.printf("| %s | %s | %.0f | %s | %s | %s | %s | %s | %s | %s | %s |%n", engine, r.get("load_s"),
                        Double.parseDouble(r.get("load_write_bytes")) / count, mib(r.get("disk_bytes")),
                        r.get("native_ms"), r.get("open_ms"),
                        r.get("scan_ms"), r.get("records"), mib(r.get("heap_open")), mib(r.get("heap_state")), mib(r.get("rss")));
                out.flush();
            }
        }
        return 0;
    }

    private List<Workloads.WriteResult> repeat(Callable<Workloads.WriteResult> run) throws Exception {
        List<Workloads.WriteResult> results = new java.util.ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            results.add(run.call());
        }
        return results;
    }

    private void row(List<Workloads.WriteResult> runs) {
        Workloads.WriteResult r = runs.get(0);
        double[] rate = runs.stream().mapToDouble(Workloads.WriteResult::perSecond).sorted().toArray();
        double device = median(runs.stream().mapToDouble(x -> (double) x.deviceWriteBytes() / x.messages()));
        double process = median(runs.stream().mapToDouble(x -> (double) x.processWriteBytes() / x.messages()));
        out.printf("| %s | %s | %d | %,d | %,.0f (%,.0f-%,.0f) | %s | %,.0f | %s |%n", r.engine(), r.workload(), r.batch(),
                r.messages(), rate[rate.length / 2], rate[0], rate[rate.length - 1],
                r.deviceWriteBytes() < 0 ? "n/a" : String.format("%,.0f", device), process, mib(Long.toString(r.diskBytes())));
        out.flush();
    }

    private static double median(java.util.stream.DoubleStream values) {
        double[] v = values.sorted().toArray();
        return v[v.length / 2];
    }

    private static String mib(String bytes) {
        return bytes == null ? "n/a" : String.format("%.1f MiB", Long.parseLong(bytes) / 1048576.0);
    }
}
