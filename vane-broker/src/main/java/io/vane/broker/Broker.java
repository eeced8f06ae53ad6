package io.vane.broker;

import io.vane.broker.auth.Authenticator;
import io.vane.broker.auth.Authorizer;
import io.vane.broker.connection.ClientChannel;
import io.vane.broker.connection.ClientConnection;
import io.vane.broker.local.LocalClient;
import io.vane.broker.local.LocalClientOptions;
import io.vane.broker.connection.RestoredSessions;
import io.vane.broker.persistence.Persistence;
import io.vane.broker.persistence.StoredSession;
import io.vane.broker.routing.RetainedMessages;
import io.vane.broker.routing.Router;
import io.vane.broker.security.FailedLoginLimiter;
import io.vane.broker.session.QueueBudget;
import io.vane.broker.session.QueueLimits;
import io.vane.broker.session.Session;
import io.vane.broker.session.SessionLink;
import io.vane.broker.session.SessionRegistry;
import io.vane.broker.sys.SysTopics;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT broker with no sockets: transports hand it connections, embedders publish and subscribe
 * in-process. Assembles its parts in start-up order; see {@link BrokerContext} for what handlers get.
 */
public final class Broker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("vane.broker");

    private final BrokerContext ctx;
    private final SysTopics sys;
    private final QueueBudget queueBudget;
    private final ScheduledExecutorService scheduler;
    private final EventExecutorGroup homes;
    private final Persistence persistence;
    private final java.util.List<io.vane.broker.bridge.Bridge> bridges =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    public Broker(BrokerSettings settings, Authenticator authenticator, Authorizer authorizer, String version,
            LongSupplier clock) {
        this(settings, authenticator, authorizer, version, clock, null);
    }

    /**
     * @param homes the network event loops, built before the broker: a session restored at start-up is
     *     owned by one of them ({@link #homeFor}) until a connection takes it; null when embedded without
     *     restoring anything
     */
    public Broker(BrokerSettings settings, Authenticator authenticator, Authorizer authorizer, String version,
            LongSupplier clock, EventExecutorGroup homes) {
        this(settings, authenticator, authorizer, version, clock, homes, Persistence.IN_MEMORY);
    }

    /**
     * @param persistence where retained messages and persistent sessions are kept; {@link #restore()}
     *     reads them back before clients connect, and {@link #close()} closes it
     */
    public Broker(BrokerSettings settings, Authenticator authenticator, Authorizer authorizer, String version,
            LongSupplier clock, EventExecutorGroup homes, Persistence persistence) {
        this.homes = homes;
        this.persistence = persistence;
        settings = settings.resolve(Runtime.getRuntime().maxMemory());
        BrokerStats stats = new BrokerStats();
        Router router = new Router(authorizer, settings.upgradeOutgoingQos());
        RetainedMessages retained = new RetainedMessages(clock, settings.maxRetainedMessages(),
                settings.maxRetainedBytes());
        if (settings.retainedPersistence()) {
            retained.keepIn(persistence);
        }
        MessagePublisher publisher = new MessagePublisher(retained, router, settings.retainAvailable(), persistence);
        this.queueBudget = new QueueBudget(settings.globalMaxQueuedBytes());
        QueueLimits limits = new QueueLimits(settings.maxQueuedMessages(), settings.maxQueuedBytes(),
                settings.queueQos0Messages(), queueBudget);
        SessionRegistry sessions = new SessionRegistry(router, limits, stats, clock, persistence.sessions());
        this.ctx = new BrokerContext(settings, stats, sessions, router, retained, publisher, authenticator,
                authorizer, clock, new FailedLoginLimiter(clock), new Subscriptions(router),
                io.vane.broker.bridge.BridgePaths.random(), new io.vane.broker.security.PasswordWork());
        this.sys = new SysTopics(version, stats, sessions, router, retained, publisher, clock);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vane-sys");
            t.setDaemon(true);
            return t;
        });
        if (settings.sysInterval() > 0) {
            scheduler.scheduleAtFixedRate(this::publishSys, 0, settings.sysInterval(), TimeUnit.SECONDS);
        }
    }

    /**
     * What the store kept, back in the broker: call once, before any client connects. Returns what came
     * back, for the start-up log.
     */
    public Restored restore() {
        long start = System.nanoTime();
        long[] counts = new long[3];
        persistence.recover(new Persistence.Recovery() {
            @Override
            public void retained(Message message) {
                if (!message.isExpired(ctx.clock().getAsLong())) {
                    ctx.retained().restore(message);
                    counts[0]++;
                }
            }

            @Override
            public void session(StoredSession session) {
                if (RestoredSessions.restore(ctx, session, homeFor(session.clientId()))) {
                    counts[1]++;
                    counts[2] += session.queued().size() + session.inflight().size();
                }
            }
        });
        Restored r = new Restored(counts[0], counts[1], counts[2], (System.nanoTime() - start) / 1_000_000);
        sys.reportStore(persistence, r.millis());
        return r;
    }

    /**
     * What {@link #restore()} brought back.
     *
     * @param messages queued and in-flight messages of those sessions
     */
    public record Restored(long retained, long sessions, long messages, long millis) {
    }

    /** The event loop that owns a restored session of this client id until a connection takes it. */
    public EventExecutor homeFor(String clientId) {
        if (homes == null) {
            throw new IllegalStateException("this broker was built without event loops to restore sessions on");
        }
        java.util.List<EventExecutor> loops = new java.util.ArrayList<>();
        homes.forEach(loops::add);
        return loops.get(Math.floorMod(clientId.hashCode(), loops.size()));
    }

    /** A broker with default settings that lets everyone in: for tests and quick embedding. */
    public static Broker withDefaults() {
        return new Broker(BrokerSettings.defaults(), Authenticator.ALLOW_ALL, Authorizer.ALLOW_ALL, "dev",
                System::currentTimeMillis);
    }

    private void publishSys() {
        try {
            sys.publish();
            publishBridgeSys();
        } catch (RuntimeException e) {
            LOG.warn("Error publishing $SYS topics: {}", e.toString());
        }
    }

    /** {@code $SYS/broker/bridges/<name>/...}: each bridge's state and figures, retained. */
    private void publishBridgeSys() {
        for (io.vane.broker.bridge.Bridge b : bridges) {
            io.vane.broker.bridge.BridgeStats st = b.stats();
            String base = "$SYS/broker/bridges/" + b.settings().name() + "/";
            sysValue(base + "state", st.state().name().toLowerCase(java.util.Locale.ROOT));
            sysValue(base + "messages/received", Long.toString(st.messagesIn()));
            sysValue(base + "messages/sent", Long.toString(st.messagesOut()));
            sysValue(base + "bytes/received", Long.toString(st.bytesIn()));
            sysValue(base + "bytes/sent", Long.toString(st.bytesOut()));
            sysValue(base + "messages/queued", Long.toString(b.waiting()));
            sysValue(base + "messages/dropped", Long.toString(b.dropped()));
            sysValue(base + "connects", Long.toString(st.connects()));
            sysValue(base + "last message", Long.toString(st.lastMessageMillis() / 1000));
        }
    }

    private void sysValue(String topic, String value) {
        ctx.publisher().publish(Message.of(topic, value.getBytes(StandardCharsets.UTF_8), 0, true));
    }

    /** Called by a transport for each new network connection, on that connection's event loop. */
    public ClientConnection newConnection(ClientChannel channel) {
        return new ClientConnection(ctx, channel);
    }

    /** Publishes from inside the process; returns how many subscribers it reached. Any thread. */
    public int publish(Message message) {
        return ctx.publisher().publish(message).toCompletableFuture().join().delivered();
    }

    public int publish(String topic, String payload, int qos, boolean retain) {
        return publish(Message.of(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain));
    }

    /**
     * Subscribes in-process. The consumer runs on the publisher's thread and must not block; retained
     * messages matching the filter are handed to it first. Returns a handle that unsubscribes.
     */
    public Runnable subscribe(String filter, Consumer<Message> consumer) {
        Runnable cancel = ctx.router().subscribeLocal(filter, consumer);
        ctx.retained().match(filter, (topic, m) -> consumer.accept(m));
        return cancel;
    }

    /**
     * Connects an in-process client: a real session with its own thread (see {@link LocalClient}).
     * Completes once it is attached.
     */
    public java.util.concurrent.CompletionStage<LocalClient> connectLocal(LocalClientOptions options) {
        return LocalClient.connect(ctx, options);
    }

    /**
     * A bridge to another broker ({@code connection} section), not yet started: {@link
     * io.vane.broker.bridge.Bridge#start()} after {@link #restore()}, so it takes its kept session.
     */
    public io.vane.broker.bridge.Bridge bridge(io.vane.broker.bridge.BridgeSettings settings,
            io.vane.broker.bridge.RemoteConnector connector) {
        io.vane.broker.bridge.Bridge b = new io.vane.broker.bridge.Bridge(ctx, settings, connector);
        bridges.add(b);
        return b;
    }

    /** A bridge that was closed for good (removed or replaced on reload): no longer reported. */
    public void forget(io.vane.broker.bridge.Bridge b) {
        bridges.remove(b);
    }

    /** The bridges made by {@link #bridge}, for $SYS, /api/status and /metrics. */
    public java.util.List<io.vane.broker.bridge.Bridge> bridges() {
        return java.util.List.copyOf(bridges);
    }

    /** The access rules, for other doors into the broker (HTTP history) to apply the same ones. */
    public Authorizer authorizer() {
        return ctx.authorizer();
    }

    public BrokerStats stats() {
        return ctx.stats();
    }

    public BrokerSettings settings() {
        return ctx.settings();
    }

    /** Sessions, online or not. */
    public int sessionCount() {
        return ctx.sessions().size();
    }

    public int retainedCount() {
        return ctx.retained().count();
    }

    public int subscriptionCount() {
        return ctx.router().subscriptionCount();
    }

    /** Bytes of retained messages held ($SYS/broker/retained messages/bytes). */
    public long retainedBytes() {
        return ctx.retained().bytes();
    }

    /** Retained messages refused by max_retained_messages / max_retained_bytes since start. */
    public long retainedRefused() {
        return ctx.retained().refusedCount();
    }

    /** Bytes queued for offline and slow clients, all sessions together (global_max_queued_bytes counts these). */
    public long queuedBytes() {
        return queueBudget.used();
    }

    /** Messages not queued because global_max_queued_bytes was reached, since start. */
    public long queuedRefused() {
        return queueBudget.refused();
    }

    /**
     * Messages queued and in flight, summed over sessions. Read from the caller's thread while the
     * sessions' own threads change them, so a figure for a gauge, not an exact count.
     */
    public long[] queuedAndInflight() {
        long queued = 0;
        long inflight = 0;
        for (Session s : ctx.sessions().all()) {
            queued += s.queuedCount();
            inflight += s.inflightCount();
        }
        return new long[] {queued, inflight};
    }

    /** Sessions kept beyond their connection (the ones a durable store keeps). */
    public long persistentSessionCount() {
        long n = 0;
        for (Session s : ctx.sessions().all()) {
            if (s.isPersistent()) {
                n++;
            }
        }
        return n;
    }

    /**
     * Tells every connected client the server is going away (5.0: DISCONNECT 0x8B) and closes its
     * connection, on each connection's own event loop. Returns at once; connections end shortly after.
     */
    public void disconnectAll() {
        for (Session s : ctx.sessions().all()) {
            s.execute(() -> {
                SessionLink link = s.link();
                if (link != null) {
                    LOG.info("Client {} disconnected: server shutting down.", s.clientId());
                    link.disconnect(io.vane.protocol.ReasonCode.SERVER_SHUTTING_DOWN, "server shutting down");
                }
            });
        }
    }

    /** Threads checking slow passwords now (they come on demand and go when idle); 0 when none ran lately. */
    public int passwordCheckThreads() {
        return ctx.passwordWork().threads();
    }

    /** Stops the $SYS timer and closes the store, after flushing what it was handed. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        ctx.passwordWork().close();
        persistence.close();
    }
}
