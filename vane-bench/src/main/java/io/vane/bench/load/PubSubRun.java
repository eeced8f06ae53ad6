package io.vane.bench.load;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Publishers and subscribers: connect and subscribe, warm up, measure for the duration, stop, let
 * the last messages arrive, and count. Throughput and latency come from the measured window; loss
 * and lost acknowledged messages from the whole run once it has drained.
 */
final class PubSubRun {
    private static final long DRAIN_QUIET_MILLIS = 500;
    private static final long DRAIN_MAX_MILLIS = 5_000;

    private final LoadGenerator o;
    private final Connector connector;
    private final BrokerProbe probe;
    private final LoadResult result;

    PubSubRun(LoadGenerator options, Connector connector, BrokerProbe probe, LoadResult result) {
        this.o = options;
        this.connector = connector;
        this.probe = probe;
        this.result = result;
    }

    void run() throws Exception {
        Deliveries deliveries = new Deliveries(o.publishers, o.qos > 0);
        List<Client> subs = new ArrayList<>();
        List<String> filters = new ArrayList<>();
        for (int i = 0; i < o.subscribers; i++) {
            String filter = o.subTopic.replace("{i}", Integer.toString(i));
            filters.add(filter);
            subs.add(new Client(o.clientId("s", i), filter, o.qos, deliveries, o.transport.equals("ws"))
                    .persistent(o.persistentSubscribers));
        }
        List<Client> slowSubs = subs.subList(0, Math.min(o.slow, subs.size()));
        slowSubs.forEach(Client::uncount);
        o.progress.printf("connecting %d subscribers (%s) ...%n", subs.size(), o.transport);
        o.connectAll(connector, subs, o.transport);

        List<Client> pubClients = new ArrayList<>();
        List<Publisher> pubs = new ArrayList<>();
        for (int i = 0; i < o.publishers; i++) {
            String topic = o.pubTopic.replace("{i}", Integer.toString(i));
            int receivers = 0;
            for (int s = slowSubs.size(); s < filters.size(); s++) {
                receivers += LoadGenerator.matches(filters.get(s), topic) ? 1 : 0;
            }
            Client c = new Client(o.clientId("p", i), null, 0, deliveries, o.pubTransport.equals("ws"));
            pubClients.add(c);
            pubs.add(new Publisher(c, i, topic, o.qos, o.payload, o.rate, o.backlog, o.inflight, receivers,
                    deliveries));
        }
        o.progress.printf("connecting %d publishers (%s) ...%n", pubs.size(), o.pubTransport);
        o.connectAll(connector, pubClients, o.pubTransport);

        probe.startPeakSampling();
        Map<EventLoop, List<Publisher>> byLoop = new LinkedHashMap<>();
        for (Publisher p : pubs) {
            byLoop.computeIfAbsent(p.client().channel().eventLoop(), l -> new ArrayList<>()).add(p);
        }
        byLoop.forEach((loop, list) -> new PublisherDriver(loop, list).start());
        sleep(o.warmup);

        long sent0 = sent(pubs);
        long got0 = deliveries.counted();
        double cpu0 = probe.cpuSeconds();
        long disk0 = probe.bytesWritten();
        long rss0 = probe.rssKb();
        long start = System.nanoTime();
        for (Client c : slowSubs) {
            c.channel().config().setAutoRead(false);
        }
        deliveries.startRecording();
        long end = start + (long) (o.duration * 1e9);
        long lastSent = sent0;
        long lastGot = got0;
        while (System.nanoTime() < end) {
            Thread.sleep(Math.max(1, Math.min(1000, (end - System.nanoTime()) / 1_000_000)));
            long s = sent(pubs);
            long g = deliveries.counted();
            o.progress.printf(Locale.ROOT, "  %5.1f s  sent %,d  received %,d  broker RSS %s%n",
                    (System.nanoTime() - start) / 1e9, s - lastSent, g - lastGot, mb(probe.rssKb()));
            lastSent = s;
            lastGot = g;
        }
        Histogram latency = deliveries.stopRecording();
        double window = (System.nanoTime() - start) / 1e9;
        long sent1 = sent(pubs);
        long got1 = deliveries.counted();
        double cpu1 = probe.cpuSeconds();
        long disk1 = probe.bytesWritten();
        long rss1 = probe.rssKb();
        long heap = probe.heapAfterGcKb();

        pubs.forEach(Publisher::stop);
        for (Client c : slowSubs) {
            c.channel().config().setAutoRead(true);
        }
        long expected = drain(pubs, deliveries);
        long peak = probe.stopPeakSampling();

        long sentAll = sent(pubs);
        long gotAll = deliveries.counted();
        result.put("publishers", pubs.size());
        result.put("subscribers", subs.size());
        result.put("window_s", window);
        result.put("sent", sentAll);
        result.put("expected", expected);
        result.put("received", gotAll);
        result.put("loss", expected - gotAll);
        result.put("loss_pct", expected == 0 ? 0 : 100.0 * (expected - gotAll) / expected);
        if (o.qos > 0) {
            result.put("acked", acked(pubs));
            result.put("lost_acked", lostAcked(pubs, deliveries));
        }
        if (!slowSubs.isEmpty()) {
            result.put("slow_received", deliveries.uncounted());
        }
        result.put("stalls", stalls(pubs));
        result.put("sent_per_s", (sent1 - sent0) / window);
        result.put("msgs_per_s", (got1 - got0) / window);
        if (latency.getTotalCount() > 0) {
            result.put("p50_us", latency.getValueAtPercentile(50) / 1e3);
            result.put("p90_us", latency.getValueAtPercentile(90) / 1e3);
            result.put("p99_us", latency.getValueAtPercentile(99) / 1e3);
            result.put("p999_us", latency.getValueAtPercentile(99.9) / 1e3);
            result.put("max_us", latency.getMaxValue() / 1e3);
        }
        if (probe.present()) {
            result.put("cpu_s", cpu1 - cpu0);
            result.put("cpu_us_per_msg", got1 > got0 ? (cpu1 - cpu0) * 1e6 / (got1 - got0) : -1);
            if (disk0 >= 0 && disk1 >= 0 && got1 > got0) {
                result.put("disk_bytes_per_msg", (disk1 - disk0) / (double) (got1 - got0));
            }
            result.put("rss_start_mb", rss0 / 1024.0);
            result.put("rss_end_mb", rss1 / 1024.0);
            result.put("rss_peak_mb", peak / 1024.0);
            result.put("heap_mb", heap < 0 ? -1 : heap / 1024.0);
        }
        long closed = subs.stream().filter(c -> !c.channel().isActive()).count()
                + pubClients.stream().filter(c -> !c.channel().isActive()).count();
        result.put("closed_by_broker", closed);
        LoadGenerator.disconnectAll(pubClients);
        LoadGenerator.disconnectAll(subs);
    }

    /** Waits until the counted subscribers have everything or nothing arrives for a while; returns what they should have. */
    private long drain(List<Publisher> pubs, Deliveries deliveries) throws InterruptedException {
        Thread.sleep(50); // the publishers' loops see the stop flag
        long expected = expected(pubs);
        long last = -1;
        long quietSince = System.nanoTime();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MAX_MILLIS);
        while (System.nanoTime() < deadline) {
            long got = deliveries.counted();
            if (got >= expected) {
                break;
            }
            if (got != last) {
                last = got;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > TimeUnit.MILLISECONDS.toNanos(DRAIN_QUIET_MILLIS)) {
                break;
            }
            Thread.sleep(20);
            expected = expected(pubs);
        }
        return expected;
    }

    private long lostAcked(List<Publisher> pubs, Deliveries deliveries) throws Exception {
        long lost = 0;
        for (Publisher p : pubs) {
            if (p.receivers() == 1) {
                // The acknowledged set belongs to the publisher's loop: read it there.
                java.util.BitSet acked = p.ackedSeqs();
                lost += onLoop(p, () -> deliveries.missing(p.index(), acked));
            }
        }
        return lost;
    }

    private static long onLoop(Publisher p, java.util.concurrent.Callable<Long> task) throws Exception {
        return p.loop().submit(task).get(10, TimeUnit.SECONDS);
    }

    private static long sent(List<Publisher> pubs) {
        long n = 0;
        for (Publisher p : pubs) {
            n += p.sent();
        }
        return n;
    }

    private static long expected(List<Publisher> pubs) {
        long n = 0;
        for (Publisher p : pubs) {
            n += (long) p.sent() * p.receivers();
        }
        return n;
    }

    private static long acked(List<Publisher> pubs) {
        long n = 0;
        for (Publisher p : pubs) {
            n += p.acked();
        }
        return n;
    }

    private static long stalls(List<Publisher> pubs) {
        long n = 0;
        for (Publisher p : pubs) {
            n += p.stalls();
        }
        return n;
    }

    private static String mb(long kb) {
        return kb < 0 ? "-" : String.format(Locale.ROOT, "%.1f MB", kb / 1024.0);
    }

    private static void sleep(double seconds) throws InterruptedException {
        Thread.sleep((long) (seconds * 1000));
    }
}
