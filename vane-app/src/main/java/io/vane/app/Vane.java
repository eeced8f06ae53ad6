package io.vane.app;

import io.vane.app.config.VaneConfig;
import io.vane.app.ops.Operations;
import io.vane.broker.Broker;
import io.vane.broker.persistence.Persistence;
import io.vane.store.SqliteStore;
import io.vane.broker.security.SecurityFileException;
import io.vane.dashboard.HistoryFile;
import io.vane.dashboard.HistoryStore;
import io.vane.devices.source.DeviceSource;
import io.vane.devices.weather.WeatherSimulator;
import io.vane.broker.local.LocalClient;
import io.vane.broker.local.LocalClientOptions;
import io.vane.broker.security.SecurityPolicy;
import io.vane.transport.EventLoops;
import io.vane.transport.ListenerConfig;
import io.vane.transport.MqttServer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A running Vane: broker plus listeners, started in-process from a {@link VaneConfig}. This is the
 * embeddable API that the command line, the tests and the device sources use.
 *
 * <pre>{@code
 * try (Vane vane = Vane.start(VaneConfig.defaults().withListeners(List.of(ListenerConfig.mqtt(0))))) {
 *     vane.broker().subscribe("weather/#", m -> ...);
 *     vane.broker().publish("weather/loop", "{}", 0, true);
 * }
 * }</pre>
 */
public final class Vane implements AutoCloseable {
    private final VaneConfig config;
    private final Broker broker;
    private final EventLoops loops;
    private final MqttServer server;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("vane.security");

    private final List<InetSocketAddress> bound;
    private SecurityPolicy security;
    private final List<DeviceSource> sources = new ArrayList<>();
    private final List<LocalClient> sourceClients = new ArrayList<>();
    private final List<io.vane.broker.bridge.Bridge> bridges = new java.util.concurrent.CopyOnWriteArrayList<>();
    private io.vane.transport.bridge.NettyRemoteConnector connector;
    private HistoryStore history;
    private Operations ops;
    private boolean closed;

    private Vane(VaneConfig config, Broker broker, EventLoops loops, MqttServer server,
            List<InetSocketAddress> bound) {
        this.config = config;
        this.broker = broker;
        this.loops = loops;
        this.server = server;
        this.bound = List.copyOf(bound);
    }

    /** Binds every listener and starts the broker; throws if a port cannot be bound (nothing stays open). */
    public static Vane start(VaneConfig config) {
        return start(config, System::currentTimeMillis);
    }

    /**
     * {@link #start(VaneConfig)} with the clock the dashboard history stamps packets with and keeps its
     * windows by (epoch milliseconds): tests set it to fill the week, month and year ranges.
     */
    public static Vane start(VaneConfig config, java.util.function.LongSupplier historyClock) {
        SecurityPolicy security;
        try {
            security = new SecurityPolicy(config.security().global(), config.security().perListener(),
                    config.security().homeData());
        } catch (SecurityFileException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        security.describeAnonymous().forEach(line -> LOG.info(line));
        startupNotices(config).forEach(LOG::warn);
        // Event loops first: the broker gives sessions it restores a home among them.
        EventLoops loops = EventLoops.forThisMachine(config.app().ioThreads());
        LOG.info("Using {} network event loop{}.", loops.workerCount(), loops.workerCount() == 1 ? "" : "s");
        Persistence store = openStore(config);
        Broker broker = new Broker(config.broker(), security, security, version(), System::currentTimeMillis,
                loops.workers(), store);
        long recoveryMillis = -1;
        if (store.isDurable()) {
            Broker.Restored r = broker.restore();
            recoveryMillis = r.millis();
            STORE_LOG.info("Restored {} retained message{}, {} session{} and {} queued or in-flight message{} from {}"
                    + " in {} ms.", r.retained(), r.retained() == 1 ? "" : "s", r.sessions(),
                    r.sessions() == 1 ? "" : "s", r.messages(), r.messages() == 1 ? "" : "s",
                    ((SqliteStore) store).file(), r.millis());
        }
        HistoryStore history = openHistory(config, historyClock);
        LocalClient historyClient = connectLocal(broker, LocalClientOptions.internal("vane-history"));
        history.start(historyClient);
        MqttServer server = new MqttServer(broker, loops, version());
        server.setHistory((topic, since, range) -> history.historyUtf8(topic, since,
                range == null ? null : io.vane.dashboard.HistoryRange.parse(range)));
        server.setHttpThreads(config.app().dashboard().httpThreads());
        server.setConnectTimeout(config.app().connectTimeout());
        Operations ops = new Operations(broker, server, loops, store, recoveryMillis, config.app().ops(), version());
        server.setOps(ops.endpoints());
        List<InetSocketAddress> bound = new ArrayList<>();
        try {
            // All together: TLS certificates are loaded in parallel first, then every socket opens.
            bound.addAll(server.bindAll(config.listeners()));
        } catch (RuntimeException e) {
            ops.close();
            server.close();
            history.close();
            loops.close();
            broker.close();
            throw e;
        }
        Vane vane = new Vane(config, broker, loops, server, bound);
        vane.ops = ops;
        vane.security = security;
        vane.sourceClients.add(historyClient);
        vane.history = history;
        vane.startBoilers(config.app().devices().boilers());
        if (config.app().devices().simulateWeather()) {
            vane.startSource(new WeatherSimulator(java.time.Clock.systemDefaultZone(), System.nanoTime()));
        }
        vane.startMeters(config.app().devices());
        vane.startBridges(config.app().bridges());
        ops.markStarted();
        return vane;
    }

    /**
     * The store {@code persistence true} asks for, in persistence_location (the working directory when
     * unset): {@value #STORE_FILE}, beside any {@code mosquitto.db} (Mosquitto's own format, which Vane does
     * not write, but imports once: persistence_file names it). {@code persistence false}: everything in memory.
     */
    static Persistence openStore(VaneConfig config) {
        if (!config.broker().persistence()) {
            STORE_LOG.info("persistence false: retained messages and sessions are kept in memory only; a restart"
                    + " loses them.");
            return Persistence.IN_MEMORY;
        }
        java.nio.file.Path dir = config.broker().persistenceLocation() != null ? config.broker().persistenceLocation()
                : java.nio.file.Path.of("").toAbsolutePath();
        java.nio.file.Path file = dir.resolve(STORE_FILE);
        try {
            long start = System.nanoTime();
            SqliteStore store = SqliteStore.open(file);
            STORE_LOG.info("Keeping retained messages and persistent sessions in {} (persistence true; read in {}"
                    + " ms).", file, (System.nanoTime() - start) / 1_000_000);
            String mosquittoFile = config.app().persistence().file();
            store.importMosquitto(dir.resolve(mosquittoFile != null ? mosquittoFile : "mosquitto.db"));
            return store;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("persistence: " + e.getMessage(), e);
        }
    }

    /**
     * The dashboard's history: with {@code persistence true} also in {@value HistoryFile#FILE} beside the
     * store (decision 0012), its recent window read back now so the charts are full at once; otherwise
     * (or when that file cannot be made) in memory only, the last history_hours.
     */
    static HistoryStore openHistory(VaneConfig config, java.util.function.LongSupplier clock) {
        io.vane.app.config.DashboardSettings d = config.app().dashboard();
        long keep = d.historyHours() * 3_600_000L;
        if (config.broker().persistence()) {
            java.nio.file.Path dir = config.broker().persistenceLocation() != null
                    ? config.broker().persistenceLocation() : java.nio.file.Path.of("").toAbsolutePath();
            java.nio.file.Path file = dir.resolve(HistoryFile.FILE);
            io.vane.store.SqliteNative.prepare(dir);
            try {
                long start = System.nanoTime();
                HistoryStore history = new HistoryStore(historyTopics(config), clock, keep, HistoryFile.open(file),
                        d.historyDays(), HISTORY_WRITE_MILLIS);
                int points = history.load();
                HISTORY_LOG.info("Keeping the dashboard history in {} ({} h raw, downsampled for {} days); read {}"
                        + " point{} back in {} ms.", file, d.historyHours(), d.historyDays(), points,
                        points == 1 ? "" : "s", (System.nanoTime() - start) / 1_000_000);
                return history;
            } catch (java.io.IOException e) {
                HISTORY_LOG.error("The dashboard history cannot be kept in {} ({}); it is kept in memory only.",
                        file, e.getMessage());
            }
        }
        return new HistoryStore(historyTopics(config), clock, keep);
    }

    /** How often the history writer commits a batch: a crash loses at most this much of the charts. */
    static final long HISTORY_WRITE_MILLIS = 5_000;
    private static final org.slf4j.Logger HISTORY_LOG = org.slf4j.LoggerFactory.getLogger("vane.history");

    /** The store's file name in persistence_location. */
    public static final String STORE_FILE = "vane-store.db";
    private static final org.slf4j.Logger STORE_LOG = org.slf4j.LoggerFactory.getLogger("vane.store");

    /**
     * Mosquitto options Vane accepts but cannot honour yet, each said once at start-up instead of being
     * silently ignored (a user's {@code persistence true} must not lose data without a word).
     */
    static List<String> startupNotices(VaneConfig config) {
        List<String> notices = new ArrayList<>(config.app().notices());
        return notices;
    }

    /**
     * Starts one P1 source per dsmr_source line, or the simulated meter (simulate_p1) when there is none:
     * a simulator beside a real meter would publish over its topics.
     */
    /**
     * Starts each {@code connection} section: its local session is taken (kept from the last run) before
     * this returns, so nothing published for the remote broker from now on is missed.
     */
    private void startBridges(List<io.vane.broker.bridge.BridgeSettings> list) {
        if (list.isEmpty()) {
            return;
        }
        for (io.vane.broker.bridge.BridgeSettings s : list) {
            startBridge(s);
        }
    }

    private void startBridge(io.vane.broker.bridge.BridgeSettings s) {
        if (connector == null) {
            connector = new io.vane.transport.bridge.NettyRemoteConnector(loops, broker.settings().maxPacketSize());
        }
        io.vane.broker.bridge.Bridge bridge = broker.bridge(s, connector);
        try {
            bridge.start().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.error("Bridge {} could not start: {}", s.name(), e.getCause() != null ? e.getCause() : e);
            broker.forget(bridge);
            return;
        }
        bridges.add(bridge);
    }

    /**
     * Reads the config file's {@code connection} sections again (SIGHUP): a bridge whose options changed
     * is restarted with them, keeping its local session (and so its queue) unless local_cleansession; a
     * removed one stops; a new one starts; the others are not touched. A broken file changes nothing and
     * returns the problem; otherwise null.
     */
    public synchronized String reloadBridges() {
        if (config.source() == null || closed) {
            return null;
        }
        List<io.vane.broker.bridge.BridgeSettings> fresh;
        try {
            fresh = new io.vane.app.config.ConfigParser().read(config.source()).app().bridges();
        } catch (io.vane.app.config.ConfigException e) {
            LOG.error("Bridges not reloaded: {}", e.getMessage());
            return e.getMessage();
        }
        java.util.Map<String, io.vane.broker.bridge.BridgeSettings> byName = new java.util.LinkedHashMap<>();
        fresh.forEach(b -> byName.put(b.name(), b));
        for (io.vane.broker.bridge.Bridge old : List.copyOf(bridges)) {
            io.vane.broker.bridge.BridgeSettings now = byName.get(old.settings().name());
            if (old.settings().equals(now)) {
                byName.remove(now.name());
                continue;
            }
            if (now != null && !now.reloadImmediate()) {
                // bridge_reload_type lazy (the default): the running connection carries on until it ends.
                LOG.info("Bridge {} changed in the config; it takes the new settings when its connection next"
                        + " ends (bridge_reload_type immediate reconnects at once).", now.name());
                byName.remove(now.name());
                old.stopWhenDisconnected(() -> {
                    synchronized (this) {
                        broker.forget(old);
                        bridges.remove(old);
                        if (!closed) {
                            startBridge(now);
                        }
                    }
                });
                continue;
            }
            LOG.info(now == null ? "Bridge {} was removed from the config; stopping it."
                    : "Bridge {} changed in the config; restarting it.", old.settings().name());
            old.close();
            broker.forget(old);
            bridges.remove(old);
        }
        byName.values().forEach(this::startBridge);
        return null;
    }

    /** The running bridges, in config order. */
    public List<io.vane.broker.bridge.Bridge> bridges() {
        return List.copyOf(bridges);
    }

    private void startMeters(io.vane.app.config.DeviceSettings d) {
        java.time.Clock clock = java.time.Clock.systemDefaultZone();
        for (io.vane.app.config.DeviceSettings.Meter m : d.meters()) {
            startSource(new io.vane.devices.p1.P1Source(m.name(), io.vane.devices.p1.P1Source.link(m.endpoint()),
                    d.prefixOf(m), d.dsmrRefreshSeconds() * 1000L, clock));
        }
        if (d.simulateP1() && d.meters().isEmpty()) {
            // Every 5 s rather than DSMR 5's second: live enough, and a fifth of the history it would keep.
            startSource(new io.vane.devices.p1.P1Simulator(clock, System.nanoTime(), d.dsmrTopicPrefix(), 5000));
        } else if (d.simulateP1()) {
            DEVICE_LOG.warn("simulate_p1 true is ignored: a dsmr_source is configured, and the simulator would publish"
                    + " over its topics.");
        }
    }

    /**
     * Starts one OpenTherm source per opentherm_source line, or the simulated gateway (simulate_opentherm)
     * when there is none.
     */
    private void startBoilers(io.vane.app.config.DeviceSettings.Boilers b) {
        java.time.Clock clock = java.time.Clock.systemDefaultZone();
        long refresh = b.refreshSeconds() * 1000L;
        for (io.vane.app.config.DeviceSettings.Gateway g : b.gateways()) {
            startSource(new io.vane.devices.opentherm.OpenThermSource(g.name(),
                    io.vane.devices.opentherm.OpenThermSource.link(g.endpoint()), b.prefixOf(g), refresh, clock));
        }
        if (b.simulate() && b.gateways().isEmpty()) {
            startSource(io.vane.devices.opentherm.OpenThermSource.simulated(b.topicPrefix(), refresh, clock, 1000));
        } else if (b.simulate()) {
            DEVICE_LOG.warn("simulate_opentherm true is ignored: an opentherm_source is configured, and the simulator"
                    + " would publish over its topics.");
        }
    }

    /** The topics the history keeps: history_topics, and each meter's and gateway's PREFIX/json for their pages' charts. */
    static List<String> historyTopics(VaneConfig config) {
        List<String> topics = new ArrayList<>(config.app().dashboard().historyTopics());
        io.vane.app.config.DeviceSettings d = config.app().devices();
        List<String> meters = new ArrayList<>();
        d.meters().forEach(m -> meters.add(d.prefixOf(m) + "/json"));
        if (d.simulateP1() && d.meters().isEmpty()) {
            meters.add(d.dsmrTopicPrefix() + "/json");
        }
        // The boiler page's charts: each gateway's PREFIX/json.
        d.boilers().gateways().forEach(g -> meters.add(d.boilers().prefixOf(g) + "/json"));
        if (d.boilers().simulate() && d.boilers().gateways().isEmpty()) {
            meters.add(d.boilers().topicPrefix() + "/json");
        }
        meters.stream().filter(t -> !topics.contains(t)).forEach(topics::add);
        return topics;
    }

    private static final org.slf4j.Logger DEVICE_LOG = org.slf4j.LoggerFactory.getLogger("vane.devices");

    /** Starts a device source on a trusted local client of its own, carrying the source's will. */
    private void startSource(DeviceSource source) {
        LocalClient client = connectLocal(broker,
                LocalClientOptions.internal("vane-source-" + source.name()).withWill(source.will()));
        source.start(client);
        sources.add(source);
        sourceClients.add(client);
    }

    private static LocalClient connectLocal(Broker broker, LocalClientOptions options) {
        try {
            return broker.connectLocal(options).toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot connect in-process client " + options.clientId() + ": " + e, e);
        }
    }

    /** The version from the jar's manifest, or "dev" when run from classes. */
    public static String version() {
        String v = Vane.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /**
     * Re-reads the password and ACL files (SIGHUP) without dropping connections; on a broken file the
     * old rules stay. Returns the error, or null.
     */
    public String reloadSecurity() {
        return security.reload();
    }

    /** Looks at the TLS listeners' certificate files now (SIGHUP): a renewed one serves new connections. */
    public void reloadCertificates() {
        server.checkCertificatesNow();
    }

    /** Metrics registry and health checks: what /metrics and /health show, and the systemd watchdog asks. */
    public Operations operations() {
        return ops;
    }

    /** The in-process broker: publish and subscribe from inside the JVM. */
    public Broker broker() {
        return broker;
    }

    public VaneConfig config() {
        return config;
    }

    /** The port listener {@code index} (in config order) is bound to; useful with port 0. */
    public int port(int index) {
        return bound.get(index).getPort();
    }

    public List<InetSocketAddress> boundAddresses() {
        return bound;
    }

    /** Stops listeners, disconnects clients and releases resources. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ops.markStopping();
        sources.forEach(DeviceSource::close);
        // Unsubscribes while its client still runs, then writes what it received and closes the file.
        history.close();
        sourceClients.forEach(LocalClient::close);
        bridges.forEach(io.vane.broker.bridge.Bridge::close);
        // Stop accepting, then say goodbye to connected clients before the event loops stop.
        server.close();
        broker.disconnectAll();
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (broker.stats().clientsConnected() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        ops.close();
        loops.close();
        broker.close();
    }
}
