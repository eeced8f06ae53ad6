package io.vane.bench.load;

import java.util.ArrayList;
import java.util.List;

/**
 * Many idle connections: how fast the broker accepts them (CONNECT to CONNACK, in parallel) and what
 * each costs it in RSS and, for a JVM, heap after a full GC.
 */
final class IdleRun {
    private final LoadGenerator o;
    private final Connector connector;
    private final BrokerProbe probe;
    private final LoadResult result;

    IdleRun(LoadGenerator options, Connector connector, BrokerProbe probe, LoadResult result) {
        this.o = options;
        this.connector = connector;
        this.probe = probe;
        this.result = result;
    }

    void run() throws Exception {
        if (o.connectWarmup > 0) {
            // Connect and disconnect in batches first: a JVM compiles the connect path only after some
            // thousands of connects, and this measures the broker as it runs, not as it starts.
            int batch = Math.min(2000, o.connectWarmup);
            for (int done = 0, round = 0; done < o.connectWarmup; done += batch, round++) {
                List<Client> warm = new ArrayList<>();
                for (int i = 0; i < Math.min(batch, o.connectWarmup - done); i++) {
                    warm.add(new Client(o.clientId("w" + round + "-", i), null, 0, null, o.transport.equals("ws")));
                }
                o.progress.printf("warm-up: %d connections (%d of %d) ...%n", warm.size(), done + warm.size(),
                        o.connectWarmup);
                o.connectAll(connector, warm, o.transport);
                LoadGenerator.disconnectAll(warm);
            }
        }
        if (o.warmup > 0) {
            Thread.sleep((long) (o.warmup * 1000));
        }
        long heap0 = probe.heapAfterGcKb();
        long rss0 = probe.rssKb();
        double cpu0 = probe.cpuSeconds();
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < o.connections; i++) {
            clients.add(new Client(o.clientId("c", i), null, 0, null, o.transport.equals("ws")));
        }
        o.progress.printf("opening %d idle connections (%s), %d at a time ...%n", clients.size(), o.transport,
                o.connectParallel);
        long start = System.nanoTime();
        o.connectAll(connector, clients, o.transport);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu1 = probe.cpuSeconds();
        o.progress.printf("connected in %.2f s; holding %.0f s ...%n", seconds, o.hold);
        Thread.sleep((long) (o.hold * 1000));
        long rss1 = probe.rssKb();
        long heap1 = probe.heapAfterGcKb();
        long closed = clients.stream().filter(c -> !c.channel().isActive()).count();

        int n = clients.size();
        result.put("connections", n);
        result.put("connect_s", seconds);
        result.put("connects_per_s", n / seconds);
        result.put("closed_by_broker", closed);
        if (probe.present()) {
            result.put("cpu_s", cpu1 - cpu0);
            result.put("cpu_us_per_conn", (cpu1 - cpu0) * 1e6 / n);
            result.put("rss_before_mb", rss0 / 1024.0);
            result.put("rss_mb", rss1 / 1024.0);
            result.put("rss_per_conn_kb", (double) (rss1 - rss0) / n);
            if (heap0 >= 0 && heap1 >= 0) {
                result.put("heap_before_mb", heap0 / 1024.0);
                result.put("heap_mb", heap1 / 1024.0);
                result.put("heap_per_conn_kb", (double) (heap1 - heap0) / n);
            }
        }
        LoadGenerator.disconnectAll(clients);
    }
}
