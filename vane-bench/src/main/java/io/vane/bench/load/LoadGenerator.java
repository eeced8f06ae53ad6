package io.vane.bench.load;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The end-to-end load generator: N publishers and M subscribers (or many idle connections) against
 * any MQTT 3.1.1 broker on TCP or WebSocket, for a bounded time. Prints a summary and one
 * {@code RESULT key=value ...} line that {@code bench/run} collects and {@link Report} tabulates.
 *
 * <pre>
 * java -cp vane-bench/target/benchmarks.jar io.vane.bench.load.LoadGenerator --help
 * </pre>
 */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Publish and subscribe (or hold idle connections) against an MQTT broker and measure it.")
public final class LoadGenerator implements Callable<Integer> {

    @Option(names = "--host", description = "Broker address (default: ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";
    @Option(names = "--port", description = "MQTT over TCP port (default: ${DEFAULT-VALUE}).")
    int port = 1883;
    @Option(names = "--ws-port", description = "MQTT over WebSocket port (default: ${DEFAULT-VALUE}).")
    int wsPort = 9001;
    @Option(names = "--transport", description = "tcp or ws, for subscribers and idle connections (default: ${DEFAULT-VALUE}).")
    String transport = "tcp";
    @Option(names = "--pub-transport", description = "tcp or ws, for publishers (default: ${DEFAULT-VALUE}).")
    String pubTransport = "tcp";
    @Option(names = {"-P", "--publishers"}, description = "Publishers (default: ${DEFAULT-VALUE}).")
    int publishers = 1;
    @Option(names = {"-S", "--subscribers"}, description = "Subscribers (default: ${DEFAULT-VALUE}).")
    int subscribers = 1;
    @Option(names = "--pub-topic", description = "Topic of publisher {i} (default: ${DEFAULT-VALUE}).")
    String pubTopic = "bench/t";
    @Option(names = "--sub-topic", description = "Filter of subscriber {i} (default: ${DEFAULT-VALUE}).")
    String subTopic = "bench/t";
    @Option(names = "--persistent-subscribers", description = "Subscribers ask for persistent sessions (clean session 0), so a durable broker stores every QoS 1/2 delivery before it acknowledges.")
    boolean persistentSubscribers;
    @Option(names = "--qos", description = "QoS of PUBLISH and SUBSCRIBE: 0, 1 or 2 (default: ${DEFAULT-VALUE}).")
    int qos = 0;
    @Option(names = "--payload", description = "Payload bytes, at least 16 (default: ${DEFAULT-VALUE}).")
    int payload = 64;
    @Option(names = "--rate", description = "Messages/s per publisher; 0 = as fast as the backlog allows (default: ${DEFAULT-VALUE}).")
    double rate = 0;
    @Option(names = "--backlog", description = "Messages per publisher sent but not yet received (default: ${DEFAULT-VALUE}).")
    int backlog = 300;
    @Option(names = "--inflight", description = "Unacknowledged QoS 1/2 PUBLISHes per publisher (default: ${DEFAULT-VALUE}).")
    int inflight = 100;
    @Option(names = {"-d", "--duration"}, description = "Seconds measured (default: ${DEFAULT-VALUE}).")
    double duration = 10;
    @Option(names = "--warmup", description = "Seconds of load before measuring (default: ${DEFAULT-VALUE}).")
    double warmup = 2;
    @Option(names = "--slow", description = "Subscribers that stop reading when measuring starts (default: ${DEFAULT-VALUE}).")
    int slow = 0;
    @Option(names = "--connections", description = "Instead of pub/sub: open this many idle connections (default: ${DEFAULT-VALUE}).")
    int connections = 0;
    @Option(names = "--connect-parallel", description = "CONNECTs outstanding at once (default: ${DEFAULT-VALUE}).")
    int connectParallel = 200;
    @Option(names = "--connect-warmup", description = "Idle runs: connects (and disconnects) before measuring, "
            + "in batches of 2,000, so a JIT-compiled broker is measured warm; 0 measures it cold (default: ${DEFAULT-VALUE}).")
    int connectWarmup = 10_000;
    @Option(names = "--hold", description = "Seconds idle connections are held before memory is read (default: ${DEFAULT-VALUE}).")
    double hold = 2;
    @Option(names = "--threads", description = "Generator event loops (default: ${DEFAULT-VALUE}).")
    int threads = 1;
    @Option(names = "--broker-pid", description = "Broker process to read CPU and memory of; 0 = none (default: ${DEFAULT-VALUE}).")
    long brokerPid = 0;
    @Option(names = "--scenario", description = "Label for the RESULT line (default: ${DEFAULT-VALUE}).")
    String scenario = "custom";
    @Option(names = "--broker", description = "Label for the RESULT line (default: ${DEFAULT-VALUE}).")
    String broker = "broker";

    PrintStream out = System.out;
    PrintStream progress = System.err;
    private final String nonce = Long.toString(ProcessHandle.current().pid(), 36) + "-"
            + Long.toString(System.nanoTime() & 0xFFFFFF, 36);

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadGenerator()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (qos < 0 || qos > 2 || payload < MqttWire.STAMP_BYTES || !isTransport(transport) || !isTransport(pubTransport)) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--qos must be 0-2, --payload at least 16, transports tcp or ws");
        }
        LoadResult result = new LoadResult(scenario, broker);
        BrokerProbe probe = new BrokerProbe(brokerPid);
        try (Connector connector = new Connector(host, threads)) {
            if (connections > 0) {
                new IdleRun(this, connector, probe, result).run();
            } else {
                new PubSubRun(this, connector, probe, result).run();
            }
        }
        result.put("load1", loadAverage());
        result.print(out);
        return 0;
    }

    private static boolean isTransport(String t) {
        return t.equals("tcp") || t.equals("ws");
    }

    String clientId(String role, int i) {
        return "bench-" + nonce + "-" + role + i;
    }

    int portFor(String t) {
        return t.equals("ws") ? wsPort : port;
    }

    /**
     * Connects every client, at most {@link #connectParallel} at a time, and waits until all are
     * ready. Throws when one fails.
     */
    void connectAll(Connector connector, List<Client> clients, String t) throws Exception {
        Semaphore permits = new Semaphore(connectParallel);
        List<CompletableFuture<Client>> all = new ArrayList<>();
        for (Client c : clients) {
            if (!permits.tryAcquire(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("connecting stalled: no CONNACK for 60 s");
            }
            connector.connect(c, portFor(t), t.equals("ws")).addListener(f -> {
                if (!f.isSuccess()) {
                    c.ready().completeExceptionally(f.cause());
                }
            });
            c.ready().whenComplete((r, e) -> permits.release());
            all.add(c.ready());
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    }

    static void disconnectAll(List<Client> clients) {
        for (Client c : clients) {
            if (c.channel() != null && c.channel().isActive()) {
                c.channel().writeAndFlush(MqttWire.disconnect(c.channel().alloc()));
                c.channel().close();
            }
        }
        for (Client c : clients) {
            if (c.channel() != null) {
                c.channel().closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
        }
    }

    private static double loadAverage() {
        try {
            return Double.parseDouble(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                    .split(" ")[0]);
        } catch (Exception e) {
            return -1;
        }
    }

    /** MQTT topic matching for the generator's own bookkeeping (which subscribers get which publisher). */
    static boolean matches(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
