package io.vane.bench.store;

import io.vane.broker.Message;
import io.vane.broker.persistence.Persistence;
import io.vane.broker.persistence.StoredSession;
import io.vane.protocol.Properties;
import io.vane.store.SqliteStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Start-up of Vane's own store ({@link SqliteStore}) with many retained messages, the issue 12 scale
 * test for the real code path: one JVM writes them through the store and halts without closing, the
 * page cache is dropped, and a fresh JVM opens the store and recovers every message. Decision 0007.
 *
 * <pre>
 * java -cp vane-bench/target/benchmarks.jar io.vane.bench.store.VaneStoreRecovery --retained 1000000
 * </pre>
 */
@Command(name = "vane-store-recovery", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write retained messages through Vane's SqliteStore, halt, and time a fresh JVM's recovery.")
public final class VaneStoreRecovery implements Callable<Integer> {
    @Option(names = "--retained", description = "Retained messages, 30 B topic and 100 B payload (default: ${DEFAULT-VALUE}).")
    long retained = 1_000_000;
    @Option(names = "--sessions", description = "Persistent sessions, each with one subscription and two queued QoS 1 messages (default: ${DEFAULT-VALUE}).")
    long sessions = 0;
    @Option(names = "--flush-every", description = "Messages handed to the store between waits for its flush (default: ${DEFAULT-VALUE}).")
    int flushEvery = 1000;
    @Option(names = "--data-dir", description = "Folder for the store's files; emptied first (default: ${DEFAULT-VALUE}).")
    Path dataDir = Path.of("/tmp/engines-vane-store");
    @Option(names = "--child-heap", description = "-Xmx of the recovering JVM (default: ${DEFAULT-VALUE}).")
    String childHeap = "1g";
    @Option(names = "--child", hidden = true)
    String child;

    public static void main(String[] args) {
        System.exit(new CommandLine(new VaneStoreRecovery()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path file = dataDir.resolve("vane-store.db");
        if ("load".equals(child)) {
            load(file);
            return 0;
        }
        if ("recover".equals(child)) {
            recover(file);
            return 0;
        }
        IoCounters.deleteTree(dataDir);
        java.nio.file.Files.createDirectories(dataDir);
        System.out.println(run("load"));
        Recovery.dropPageCache(dataDir);
        System.out.println(run("recover"));
        return 0;
    }

    private void load(Path file) throws IOException {
        Random random = new Random(5);
        long start = System.nanoTime();
        SqliteStore store = SqliteStore.open(file);
        for (long i = 0; i < retained; i++) {
            byte[] payload = new byte[100];
            random.nextBytes(payload);
            store.retained(new Message(new String(Workloads.retainedTopic(i), StandardCharsets.US_ASCII), payload, 1,
                    true, Properties.NONE, Message.NEVER, "publisher"));
            if ((i + 1) % flushEvery == 0) {
                store.flushed().toCompletableFuture().join();
            }
        }
        store.flushed().toCompletableFuture().join();
        io.vane.broker.session.QueueLimits limits = new io.vane.broker.session.QueueLimits(0, 0, false);
        for (long i = 0; i < sessions; i++) {
            io.vane.broker.session.Session s = new io.vane.broker.session.Session("client-" + i,
                    io.netty.util.concurrent.ImmediateEventExecutor.INSTANCE, limits, new io.vane.broker.BrokerStats(),
                    System::currentTimeMillis, store);
            s.keepFor(3600);
            store.subscribed(s, new io.vane.broker.session.SubscriptionRecord("home/" + i + "/#", "home/" + i + "/#",
                    null, 1, false, false, 0, 0));
            for (int q = 0; q < 2; q++) {
                byte[] payload = new byte[64];
                random.nextBytes(payload);
                store.queued(s, io.vane.broker.delivery.Outgoing.of(new Message("home/" + i + "/power", payload, 1,
                        false, Properties.NONE, Message.NEVER, "publisher"), 1, false));
            }
            store.detached(s, 3600, System.currentTimeMillis());
            if ((i + 1) % flushEvery == 0) {
                store.flushed().toCompletableFuture().join();
            }
        }
        store.flushed().toCompletableFuture().join();
        System.out.printf("load: %,d retained and %,d sessions in %.2f s, files %.1f MiB%n", retained, sessions,
                (System.nanoTime() - start) / 1e9, IoCounters.bytesOnDisk(dataDir) / 1048576.0);
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    private void recover(Path file) throws IOException {
        long start = System.nanoTime();
        SqliteStore store = SqliteStore.open(file);
        long opened = System.nanoTime();
        List<Message> messages = new ArrayList<>();
        List<StoredSession> restored = new ArrayList<>();
        store.recover(new Persistence.Recovery() {
            @Override
            public void retained(Message message) {
                messages.add(message);
            }

            @Override
            public void session(StoredSession session) {
                restored.add(session);
            }
        });
        long recovered = System.nanoTime();
        long rss = IoCounters.residentBytes();
        System.gc();
        Runtime rt = Runtime.getRuntime();
        System.out.printf("recover: open %.0f ms, recover %.0f ms, %,d retained, %,d sessions, heap after GC %.0f MiB,"
                + " RSS %.0f MiB%n", (opened - start) / 1e6, (recovered - opened) / 1e6, messages.size(), restored.size(),
                (rt.totalMemory() - rt.freeMemory()) / 1048576.0, rss / 1048576.0);
        store.close();
    }

    private String run(String mode) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xmx" + childHeap, "-cp", System.getProperty("java.class.path"),
                VaneStoreRecovery.class.getName(), "--child", mode, "--retained", Long.toString(retained),
                "--sessions", Long.toString(sessions),
                "--flush-every", Integer.toString(flushEvery), "--data-dir", dataDir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IOException(mode + " failed: " + out);
        }
        return out;
    }
}
