package io.vane.broker.bridge;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.vane.broker.BrokerContext;
import io.vane.broker.Message;
import io.vane.broker.PublishOutcome;
import io.vane.broker.auth.ClientIdentity;
import io.vane.broker.connection.OrderedAcks;
import io.vane.broker.delivery.EncodingKey;
import io.vane.broker.delivery.Outgoing;
import io.vane.broker.routing.Router;
import io.vane.broker.security.ClientText;
import io.vane.broker.session.Session;
import io.vane.broker.session.SessionLink;
import io.vane.broker.session.SessionRegistry;
import io.vane.broker.session.SubscriptionRecord;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.ReasonCode;
import io.vane.protocol.packet.ConnAck;
import io.vane.protocol.packet.Connect;
import io.vane.protocol.packet.Disconnect;
import io.vane.protocol.packet.MqttPacket;
import io.vane.protocol.packet.PingReq;
import io.vane.protocol.packet.PubAck;
import io.vane.protocol.packet.PubComp;
import io.vane.protocol.packet.PubRec;
import io.vane.protocol.packet.PubRel;
import io.vane.protocol.packet.Publish;
import io.vane.protocol.packet.SubAck;
import io.vane.protocol.packet.Subscribe;
import io.vane.protocol.packet.Subscription;
import io.vane.protocol.packet.UnsubAck;
import io.vane.protocol.packet.Unsubscribe;
import io.vane.protocol.packet.Will;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code connection} section at work: a client of the remote broker and, on this broker, a session
 * of its own ({@code local_clientid}) that holds the subscriptions of the {@code out} topics and queues
 * what waits for the remote broker. That session is kept in the durable store like any persistent
 * session, so what the remote broker has not acknowledged survives an outage and a restart of either
 * side; it is never unsubscribed and re-subscribed on reconnect (mosquitto #3400).
 *
 * <p>Acknowledgements cross the bridge only when the message is safe on the other side: a message from
 * the remote broker is acknowledged once routed and stored here, in packet order; a message for the
 * remote broker leaves this broker's store only when the remote acknowledges it.
 *
 * <p>Threading: everything runs on {@link #executor}, which owns the local session and the remote
 * connection; {@link #start()} and {@link #close()} may be called from any thread.
 */
public final class Bridge implements AutoCloseable {
    static final Logger LOG = LoggerFactory.getLogger("vane.bridge");
    /** Session Expiry Interval "never" [MQTT 5.0 3.1.2.11.2]. */
    private static final long NEVER = 0xFFFFFFFFL;
    /** Packet ids of the bridge's own SUBSCRIBE / UNSUBSCRIBE, sent before any PUBLISH is in flight. */
    private static final int SUBSCRIBE_ID = 1;
    private static final int UNSUBSCRIBE_ID = 2;
    /** How long the remote broker has to answer CONNECT once the socket is up. */
    private static final long CONNACK_TIMEOUT_MILLIS = 30_000;
    private static final byte[] ONLINE = "1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OFFLINE = "0".getBytes(StandardCharsets.US_ASCII);

    private final BrokerContext ctx;
    private final BridgeSettings settings;
    private final RemoteConnector connector;
    private final EventExecutor executor;
    private final ClientIdentity identity;
    private final BridgeStats stats = new BridgeStats();
    private final Link link = new Link();
    private final OrderedAcks acks;

    private volatile Session session;
    private long claimNumber;
    /** Bumped by every connection attempt: events of an older attempt's channel are ignored. */
    private long attempt;
    private RemoteChannel channel;
    private boolean online;
    private boolean attached;
    private boolean stopped;
    /** The index in {@code addresses} of the current or next attempt. */
    private int addressIndex;
    private long lastWaitMillis;
    private MqttVersion version;
    private int sendWindow;
    private int remoteMaxQos = 2;
    private boolean remoteRetain = true;
    private long remoteMaxPacket = Long.MAX_VALUE;
    private int pendingAcks;
    private long lastReceivedNanos;
    private long lastMessageNanos;
    private ScheduledFuture<?> timer;
    private ScheduledFuture<?> restart;
    /** bridge_reload_type lazy: what to do instead of reconnecting once this connection ends. */
    private Runnable onNextLoss;
    /** The first address answered again while connected to another: reconnect to it at once. */
    private boolean switchingBack;

    public Bridge(BrokerContext ctx, BridgeSettings settings, RemoteConnector connector) {
        this.ctx = ctx;
        this.settings = settings;
        this.connector = connector;
        this.executor = connector.executorFor(settings.name());
        this.acks = new OrderedAcks(executor);
        this.identity = settings.localUsername() == null ? ClientIdentity.internal(settings.localClientId())
                : ClientIdentity.remote(settings.localClientId(), settings.localUsername(), 0, "127.0.0.1");
    }

    public BridgeSettings settings() {
        return settings;
    }

    public BridgeStats stats() {
        return stats;
    }

    /**
     * Messages waiting for the remote broker: queued and in flight. Read from another thread while the
     * bridge's changes them, so a figure for a gauge.
     */
    public long waiting() {
        Session s = session;
        return s == null ? 0 : (long) s.queuedCount() + s.inflightCount();
    }

    /** Messages for the remote broker dropped by the bridge's queue limits since start. */
    public long dropped() {
        Session s = session;
        return s == null ? 0 : s.droppedTotal();
    }

    /**
     * Takes the local session (kept from the last run unless {@code local_cleansession}), makes its
     * subscriptions match the {@code out} topics, and connects unless the bridge is lazy. Completes once
     * the local side is ready: from then on messages for the remote broker queue, connected or not.
     */
    public CompletionStage<Void> start() {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        executor.execute(() -> claimLocal(ready));
        return ready.thenRun(() -> executor.execute(() -> {
            publishLocalState(false);
            if (settings.startType() == BridgeSettings.StartType.LAZY) {
                scheduleLazyCheck();
            } else {
                connectNow();
            }
        }));
    }

    /** Disconnects from the remote broker (DISCONNECT), keeps the local session, and stops. Waits up to 2 s. */
    @Override
    public void close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        executor.execute(() -> {
            stop();
            done.complete(null);
        });
        try {
            done.get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Bridge {} did not stop in time: {}", settings.name(), e.toString());
        }
    }

    /**
     * Stops the bridge once it is not connected (now, if it is not) and then runs {@code then} on another
     * thread: a lazy reload lets a working connection run until it ends of itself.
     */
    public void stopWhenDisconnected(Runnable then) {
        executor.execute(() -> {
            if (online && !stopped) {
                onNextLoss = then;
            } else {
                stop();
                CompletableFuture.runAsync(then);
            }
        });
    }

    private void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        stats.state(BridgeStats.State.STOPPED);
        cancel(restart);
        if (channel != null) {
            if (online) {
                channel.write(Disconnect.NORMAL);
            }
            dropConnection();
        }
        publishLocalState(false);
        if (session != null) {
            session.detach(link);
            if (settings.localCleanSession()) {
                ctx.sessions().end(session, claimNumber);
            }
        }
    }

    // ---- the local session ------------------------------------------------------------------------

    private void claimLocal(CompletableFuture<Void> ready) {
        String id = settings.localClientId();
        SessionRegistry.Claim claim = ctx.sessions().claim(id, executor);
        Session s = claim.session();
        Runnable own = () -> {
            if (!claim.isLatest()) {
                ready.completeExceptionally(new IllegalStateException("client id " + id
                        + " was claimed by another connection while bridge " + settings.name() + " started"));
                return;
            }
            session = s;
            claimNumber = claim.number();
            s.setIdentity(identity);
            s.keepFor(settings.localCleanSession() ? 0 : NEVER);
            applyQueueLimits(s);
            reconcileSubscriptions();
            ready.complete(null);
        };
        SessionRegistry.takeOver(claim, executor, taken -> {
            if (settings.localCleanSession()) {
                ctx.sessions().clear(taken);
            } else {
                taken.cancelWill();
            }
        }, own);
    }

    /** bridge_max_queued_messages / _bytes: this bridge's own queue limits, the global ones by default. */
    private void applyQueueLimits(Session s) {
        if (settings.maxQueuedMessages() < 0 && settings.maxQueuedBytes() < 0) {
            return;
        }
        io.vane.broker.session.QueueLimits global = s.queueLimits();
        int messages = settings.maxQueuedMessages() < 0 ? global.maxMessages()
                : (int) Math.min(Integer.MAX_VALUE, settings.maxQueuedMessages());
        long bytes = settings.maxQueuedBytes() < 0 ? global.maxBytes() : settings.maxQueuedBytes();
        s.setQueueLimits(new io.vane.broker.session.QueueLimits(messages, bytes, global.queueQos0(),
                global.budget()));
    }

    /**
     * Adds the subscriptions of the out topics the session lacks and removes those no topic line asks
     * for any more (the config changed), leaving the others as they are: a message published meanwhile
     * is never missed.
     */
    private void reconcileSubscriptions() {
        Set<String> wanted = new HashSet<>();
        for (BridgeTopic t : settings.topics()) {
            if (!t.direction().carriesOut() || !wanted.add(t.localFilter())) {
                continue;
            }
            int qos = Math.min(t.qos(), ctx.settings().maxQos());
            SubscriptionRecord record = new SubscriptionRecord(t.localFilter(), t.localFilter(), null, qos, true,
                    true, 0, 0);
            SubscriptionRecord previous = ctx.subscriptions().add(session, record);
            if (previous == null) {
                List<Outgoing> retained = new ArrayList<>();
                ctx.retained().match(t.localFilter(), (topic, m) -> {
                    if (ctx.authorizer().canRead(identity, topic)) {
                        retained.add(new Outgoing(m, Math.min(qos, m.qos()), true, new int[0]));
                    }
                });
                session.deliverRetained(retained);
            }
        }
        for (SubscriptionRecord r : session.subscriptions()) {
            if (!wanted.contains(r.filter())) {
                ctx.subscriptions().remove(session, r.filter());
            }
        }
    }

    // ---- connecting -------------------------------------------------------------------------------

    private void connectNow() {
        if (stopped || channel != null) {
            return;
        }
        cancel(restart);
        BridgeAddress address = settings.addresses().get(addressIndex);
        long mine = ++attempt;
        stats.state(BridgeStats.State.CONNECTING);
        LOG.info("Connecting bridge {} ({})", settings.name(), address);
        connector.connect(settings, address, executor, new Events(mine, address));
    }

    private void sendConnect(RemoteChannel ch) {
        version = settings.protocol();
        ch.version(version);
        Will will = null;
        if (settings.notifications() && !settings.notificationsLocalOnly()) {
            will = new Will(settings.stateTopic(), OFFLINE, 1, true, Properties.NONE);
        }
        Properties props = Properties.NONE;
        if (version == MqttVersion.V5) {
            long expiry = settings.sessionExpirySeconds() >= 0 ? settings.sessionExpirySeconds()
                    : settings.cleanSession() ? 0 : NEVER;
            Properties.Builder b = Properties.builder().sessionExpiryInterval(expiry == 0 ? null : expiry);
            if (settings.receiveMaximum() > 0) {
                b.receiveMaximum(settings.receiveMaximum());
            }
            b.maximumPacketSize((long) ctx.settings().maxPacketSize());
            // 5.0 has no try_private bit: this tells a Vane remote that it serves a bridge, which then
            // marks what it sends here with its own id, so a ring of bridges is found (BridgePaths).
            b.addUserProperty(BridgePaths.BRIDGE_MARK, "1");
            props = b.build();
        }
        byte[] password = settings.remotePassword() == null ? null
                : settings.remotePassword().getBytes(StandardCharsets.UTF_8);
        ch.write(new Connect(version, settings.remoteClientId(), settings.cleanSession(),
                settings.keepAliveSeconds(), settings.remoteUsername(), password, will, props,
                settings.tryPrivate() && version != MqttVersion.V5));
        long mine = attempt;
        timer = executor.schedule(() -> {
            if (attempt == mine && !online && channel != null) {
                lost("no CONNACK within " + CONNACK_TIMEOUT_MILLIS / 1000 + " s");
            }
        }, CONNACK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void connAck(ConnAck ack) {
        if (online) {
            lost("a second CONNACK");
            return;
        }
        if (ack.reasonCode() != 0) {
            lost("the remote broker refused the connection: " + refusal(ack.reasonCode()));
            return;
        }
        cancel(timer);
        online = true;
        lastWaitMillis = 0;
        Properties p = ack.properties();
        sendWindow = ctx.settings().maxInflightMessages() == 0 ? 65_535 : ctx.settings().maxInflightMessages();
        if (version == MqttVersion.V5) {
            if (p.receiveMaximum() != null) {
                sendWindow = Math.min(sendWindow, p.receiveMaximum()); // mosquitto #3002
            }
            remoteMaxQos = p.maximumQos() == null ? 2 : p.maximumQos();
            remoteRetain = p.retainAvailable() == null || p.retainAvailable() == 1;
            remoteMaxPacket = p.maximumPacketSize() == null ? Long.MAX_VALUE : p.maximumPacketSize();
        }
        if (settings.maxPacketSize() > 0) {
            remoteMaxPacket = Math.min(remoteMaxPacket, settings.maxPacketSize());
        }
        BridgeAddress address = settings.addresses().get(addressIndex);
        stats.connected(address.toString(), ctx.clock().getAsLong());
        LOG.info("Bridge {} connected to {} as {}{}.", settings.name(), address, settings.remoteClientId(),
                ack.sessionPresent() ? " (session present)" : "");
        if (settings.notifications()) {
            publishLocalState(true);
            if (!settings.notificationsLocalOnly()) {
                sendState(true);
            }
        }
        scheduleKeepAlive();
        if (addressIndex != 0 && !settings.roundRobin()) {
            probePrimaryLater();
        }
        List<Subscription> in = new ArrayList<>();
        Set<String> filters = new HashSet<>();
        for (BridgeTopic t : settings.topics()) {
            if (t.direction().carriesIn() && filters.add(t.remoteFilter())) {
                boolean v5 = version == MqttVersion.V5;
                in.add(new Subscription(t.remoteFilter(), t.qos(), v5, v5, 0));
            }
        }
        List<String> outOnly = new ArrayList<>();
        if (settings.attemptUnsubscribe() && version != MqttVersion.V5) {
            for (BridgeTopic t : settings.topics()) {
                if (!t.direction().carriesIn() && !filters.contains(t.remoteFilter())) {
                    outOnly.add(t.remoteFilter());
                }
            }
        }
        if (!in.isEmpty()) {
            pendingAcks++;
            channel.write(new Subscribe(SUBSCRIBE_ID, in, Properties.NONE));
        }
        if (!outOnly.isEmpty()) {
            pendingAcks++;
            channel.write(new Unsubscribe(UNSUBSCRIBE_ID, outOnly, Properties.NONE));
        }
        attachWhenSubscribed();
    }

    /** Messages start to flow out once the remote broker has answered the bridge's own packets. */
    private void attachWhenSubscribed() {
        if (pendingAcks == 0 && online && !attached && session != null) {
            attached = true;
            session.attach(link);
        }
    }

    private void subAck(SubAck ack) {
        if (ack.packetId() != SUBSCRIBE_ID) {
            return;
        }
        List<Integer> codes = ack.reasonCodes();
        int i = 0;
        for (BridgeTopic t : settings.topics()) {
            if (!t.direction().carriesIn()) {
                continue;
            }
            if (i < codes.size() && ReasonCode.isError(codes.get(i))) {
                LOG.warn("Bridge {}: the remote broker refused the subscription to '{}' (0x{}).", settings.name(),
                        t.remoteFilter(), Integer.toHexString(codes.get(i)));
            }
            i++;
        }
        pendingAcks--;
        attachWhenSubscribed();
    }

    private void unsubAck(UnsubAck ack) {
        if (ack.packetId() == UNSUBSCRIBE_ID) {
            pendingAcks--;
            attachWhenSubscribed();
        }
    }

    // ---- keep-alive, loss and restart -------------------------------------------------------------

    /**
     * PINGREQ every keep-alive; a remote broker that sent nothing (not even PINGRESP) for one and a half
     * keep-alives is taken as gone, which is how a silent cut (a NAT dropping the flow, a cable) is found.
     */
    private void scheduleKeepAlive() {
        long period = TimeUnit.SECONDS.toMillis(settings.keepAliveSeconds());
        long mine = attempt;
        timer = executor.scheduleAtFixedRate(() -> {
            if (attempt != mine || channel == null) {
                return;
            }
            long quiet = System.nanoTime() - lastReceivedNanos;
            if (quiet > TimeUnit.MILLISECONDS.toNanos(period * 3 / 2)) {
                lost("nothing from the remote broker for " + TimeUnit.NANOSECONDS.toSeconds(quiet) + " s");
                return;
            }
            if (settings.startType() == BridgeSettings.StartType.LAZY && System.nanoTime() - lastMessageNanos
                    > TimeUnit.SECONDS.toNanos(settings.idleTimeoutSeconds())) {
                LOG.info("Bridge {} has been idle for {} s; disconnecting.", settings.name(),
                        settings.idleTimeoutSeconds());
                channel.write(Disconnect.NORMAL);
                lost("idle");
                return;
            }
            channel.write(PingReq.INSTANCE);
        }, period, period, TimeUnit.MILLISECONDS);
    }

    /** The connection ended or failed: everything unacknowledged stays in the local session. */
    private void lost(String why) {
        boolean wasOnline = online;
        dropConnection();
        if (stopped) {
            return;
        }
        if (onNextLoss != null) {
            Runnable then = onNextLoss;
            onNextLoss = null;
            LOG.info("Bridge {} lost its connection ({}); taking its new settings.", settings.name(), why);
            stop();
            CompletableFuture.runAsync(then);
            return;
        }
        stats.failed(why);
        stats.state(BridgeStats.State.DISCONNECTED);
        if (wasOnline) {
            LOG.warn("Bridge {} lost its connection: {}.", settings.name(), why);
            publishLocalState(false);
        } else {
            LOG.warn("Bridge {} could not connect to {}: {}.", settings.name(),
                    settings.addresses().get(addressIndex), why);
            addressIndex = (addressIndex + 1) % settings.addresses().size(); // try the next one
        }
        if (wasOnline) {
            // round_robin: on to the next address; otherwise the first one is the preferred one.
            addressIndex = settings.roundRobin() ? (addressIndex + 1) % settings.addresses().size() : 0;
        }
        if (switchingBack) {
            switchingBack = false;
            connectNow();
            return;
        }
        switch (settings.startType()) {
            case ONCE -> {
                LOG.info("Bridge {} has start_type once: not reconnecting.", settings.name());
                stats.state(BridgeStats.State.STOPPED);
            }
            case LAZY -> {
                if ("idle".equals(why)) {
                    scheduleLazyCheck();
                } else {
                    scheduleRestart();
                }
            }
            default -> scheduleRestart();
        }
    }

    private void dropConnection() {
        cancel(timer);
        if (session != null && attached) {
            session.detach(link);
        }
        attached = false;
        online = false;
        pendingAcks = 0;
        RemoteChannel ch = channel;
        channel = null;
        attempt++; // whatever the old channel still says is ignored
        if (ch != null) {
            ch.close();
        }
    }

    /**
     * Mosquitto's back-off: with a base and a cap, each wait is drawn between the base and three times
     * the last wait, at most the cap (decorrelated jitter), so a hundred bridges that lost the same
     * broker do not all come back in the same second; with one value the wait is fixed.
     */
    private void scheduleRestart() {
        long base = TimeUnit.SECONDS.toMillis(settings.restartBaseSeconds());
        long cap = TimeUnit.SECONDS.toMillis(settings.restartCapSeconds());
        long wait;
        if (cap <= base) {
            wait = base;
        } else {
            long high = Math.min(cap, Math.max(base, lastWaitMillis * 3));
            wait = high <= base ? base : ThreadLocalRandom.current().nextLong(base, high + 1);
        }
        lastWaitMillis = wait;
        LOG.info("Bridge {} reconnects in {} ms.", settings.name(), wait);
        restart = executor.schedule(this::connectNow, wait, TimeUnit.MILLISECONDS);
    }

    /**
     * Connected to a later address with round_robin false: every restart_timeout (at least 5 s) the first
     * address is tried with a connection of its own; once it answers, the bridge goes back to it, as
     * Mosquitto does.
     */
    private void probePrimaryLater() {
        long mine = attempt;
        BridgeAddress primary = settings.addresses().get(0);
        executor.schedule(() -> {
            if (attempt != mine || !online || stopped) {
                return;
            }
            connector.connect(settings, primary, executor, new RemoteEvents() {
                @Override
                public void connected(RemoteChannel probe) {
                    probe.close();
                    if (attempt == mine && online && !stopped) {
                        LOG.info("Bridge {}: the first address {} answers again; switching back to it.",
                                settings.name(), primary);
                        switchingBack = true;
                        channel.write(Disconnect.NORMAL);
                        lost("switching back to " + primary);
                    }
                }

                @Override
                public void received(MqttPacket packet) {
                    if (packet instanceof Publish p) {
                        p.payload().release();
                    }
                }

                @Override
                public void writable() {
                }

                @Override
                public void closed(String reason) {
                    if (attempt == mine && online && !switchingBack) {
                        probePrimaryLater();
                    }
                }
            });
        }, Math.max(5, settings.restartBaseSeconds()), TimeUnit.SECONDS);
    }

    /** A lazy bridge connects once {@code threshold} messages wait for it. */
    private void scheduleLazyCheck() {
        restart = executor.schedule(() -> {
            if (stopped || channel != null) {
                return;
            }
            if (session != null && session.queuedCount() >= settings.threshold()) {
                connectNow();
            } else {
                scheduleLazyCheck();
            }
        }, 1, TimeUnit.SECONDS);
    }

    // ---- notifications ----------------------------------------------------------------------------

    /** The retained 1/0 on this broker's state topic (Mosquitto writes it locally too). */
    private void publishLocalState(boolean up) {
        if (!settings.notifications()) {
            return;
        }
        ctx.publisher().publish(new Message(settings.stateTopic(), up ? ONLINE : OFFLINE, 1, true, Properties.NONE,
                Message.NEVER, settings.localClientId()));
    }

    /** The retained 1 at the remote broker; its Will writes 0 there when the connection breaks. */
    private void sendState(boolean up) {
        // QoS 0 leaves no packet id to collide with the session's; the Will covers the other way.
        channel.write(new Publish(settings.stateTopic(), 0, true, false, 0, Properties.NONE,
                Unpooled.wrappedBuffer(up ? ONLINE : OFFLINE)));
    }

    // ---- from the remote broker -------------------------------------------------------------------

    private void received(MqttPacket packet) {
        lastReceivedNanos = System.nanoTime();
        if (packet instanceof ConnAck a) {
            connAck(a);
        } else if (packet instanceof Publish p) {
            inbound(p);
        } else if (packet instanceof PubAck a) {
            if (session != null && !session.acknowledge(a.packetId())) {
                LOG.debug("Bridge {}: PUBACK for unknown packet id {}.", settings.name(), a.packetId());
            }
        } else if (packet instanceof PubRec r) {
            pubRec(r);
        } else if (packet instanceof PubComp c) {
            if (session != null && !session.completed(c.packetId())) {
                LOG.debug("Bridge {}: PUBCOMP for unknown packet id {}.", settings.name(), c.packetId());
            }
        } else if (packet instanceof PubRel r) {
            pubRel(r);
        } else if (packet instanceof SubAck a) {
            subAck(a);
        } else if (packet instanceof UnsubAck a) {
            unsubAck(a);
        } else if (packet instanceof Disconnect d) {
            lost("the remote broker disconnected (0x" + Integer.toHexString(d.reasonCode())
                    + (d.properties().reasonString() == null ? "" : ", " + d.properties().reasonString()) + ")");
        }
        // PINGRESP: lastReceivedNanos is all it is for.
    }

    private void pubRec(PubRec r) {
        if (session == null) {
            return;
        }
        if (version == MqttVersion.V5 && ReasonCode.isError(r.reasonCode())) {
            session.refused(r.packetId());
            return;
        }
        int id = r.packetId();
        if (session.received(id)) {
            // PUBREL once "released" is stored: a restart resends PUBREL, never the PUBLISH (a duplicate).
            long mine = attempt;
            acks.then(session.journalFlushed(), v -> {
                if (attempt == mine && channel != null) {
                    channel.write(new PubRel(id));
                }
            });
        } else {
            channel.write(new PubRel(id, version == MqttVersion.V5 ? ReasonCode.PACKET_IDENTIFIER_NOT_FOUND : 0,
                    Properties.NONE));
        }
    }

    private void pubRel(PubRel r) {
        boolean known = session != null && session.releaseInboundQos2(r.packetId());
        int reason = known || version != MqttVersion.V5 ? 0 : ReasonCode.PACKET_IDENTIFIER_NOT_FOUND;
        CompletionStage<Void> safe = session == null ? CompletableFuture.completedFuture(null)
                : session.journalFlushed();
        long mine = attempt;
        acks.then(safe, v -> {
            if (attempt == mine && channel != null) {
                channel.write(new PubComp(r.packetId(), reason, Properties.NONE));
            }
        });
    }

    /** A message from the remote broker: published here, acknowledged once it is safe here. */
    private void inbound(Publish p) {
        try {
            lastMessageNanos = System.nanoTime();
            String local = toLocal(p.topic());
            if (local == null) {
                LOG.debug("Bridge {}: '{}' matches no in topic; dropped.", settings.name(),
                        ClientText.forLog(p.topic()));
                inTurn(() -> acknowledge(p, ReasonCode.SUCCESS));
                return;
            }
            if (!ctx.authorizer().canPublish(identity, local)) {
                LOG.info("Bridge {}: denied PUBLISH to '{}' for local user {}.", settings.name(),
                        ClientText.forLog(local), settings.localUsername());
                inTurn(() -> acknowledge(p, ReasonCode.SUCCESS));
                return;
            }
            if (p.qos() == 2 && !session.beginInboundQos2(p.packetId())) {
                inTurn(() -> channel.write(new PubRec(p.packetId()))); // a resend [MQTT-4.3.3-10]
                return;
            }
            stats.in(p.payload().readableBytes(), ctx.clock().getAsLong());
            Message message = new Message(local, ByteBufUtil.getBytes(p.payload()), p.qos(), p.retain(),
                    inboundProperties(p.properties()), expiresAt(p.properties()), settings.localClientId());
            CompletionStage<PublishOutcome> routed = version == MqttVersion.V5
                    ? ctx.paths().routeOnce(p.properties(), () -> ctx.publisher().publish(message))
                    : ctx.publisher().publish(message);
            if (routed == null) {
                LOG.debug("Bridge {}: '{}' has passed this broker already or came by another route; dropped.",
                        settings.name(), ClientText.forLog(p.topic()));
                inTurn(() -> acknowledge(p, ReasonCode.SUCCESS)); // PUBREL ends a QoS 2 flow begun above
                return;
            }
            Router.takeCongested(); // the remote broker is not paused for a slow local reader (yet)
            if (p.qos() == 0) {
                return;
            }
            CompletionStage<PublishOutcome> safe = p.qos() == 1 ? routed
                    : routed.thenCombine(session.journalFlushed(), (outcome, v) -> outcome);
            long mine = attempt;
            acks.then(safe, outcome -> {
                if (attempt != mine || channel == null) {
                    return; // the remote broker resends it on the next connection
                }
                if (outcome.isStored()) {
                    acknowledge(p, ReasonCode.SUCCESS);
                } else {
                    LOG.warn("Bridge {}: could not store '{}' ({}); not acknowledged.", settings.name(),
                            ClientText.forLog(local), outcome.notStoredBecause());
                    if (p.qos() == 2) {
                        session.releaseInboundQos2(p.packetId());
                    }
                    if (version == MqttVersion.V5) {
                        acknowledge(p, ReasonCode.UNSPECIFIED_ERROR);
                    }
                }
            });
        } finally {
            p.payload().release();
        }
    }

    /** An answer to a PUBLISH not routed, after the earlier ones, on the connection it came by. */
    private void inTurn(Runnable write) {
        long mine = attempt;
        acks.inTurn(() -> {
            if (attempt == mine && channel != null) {
                write.run();
            }
        });
    }

    private void acknowledge(Publish p, int reason) {
        int code = version == MqttVersion.V5 ? reason : 0;
        if (p.qos() == 1) {
            channel.write(new PubAck(p.packetId(), code, Properties.NONE));
        } else if (p.qos() == 2) {
            channel.write(new PubRec(p.packetId(), code, Properties.NONE));
        }
    }

    private String toLocal(String remoteTopic) {
        for (BridgeTopic t : settings.topics()) {
            String local = t.toLocal(remoteTopic);
            if (local != null) {
                return local;
            }
        }
        return null;
    }

    private String toRemote(String localTopic) {
        for (BridgeTopic t : settings.topics()) {
            String remote = t.toRemote(localTopic);
            if (remote != null) {
                return remote;
            }
        }
        return null;
    }

    private Properties inboundProperties(Properties props) {
        if (version != MqttVersion.V5 || props.isEmpty()) {
            return Properties.NONE;
        }
        if (props.topicAlias() == null && props.messageExpiryInterval() == null
                && props.subscriptionIdentifiers().isEmpty()) {
            return props;
        }
        return props.toBuilder().topicAlias(null).messageExpiryInterval(null).clearSubscriptionIdentifiers().build();
    }

    private long expiresAt(Properties props) {
        if (version != MqttVersion.V5 || props.messageExpiryInterval() == null) {
            return Message.NEVER;
        }
        return ctx.clock().getAsLong() + props.messageExpiryInterval() * 1000L;
    }

    private static String refusal(int code) {
        return switch (code) {
            case 1 -> "unacceptable protocol version (try bridge_protocol_version mqttv31)";
            case 2, ReasonCode.CLIENT_IDENTIFIER_NOT_VALID -> "client id refused (set remote_clientid)";
            case 3, ReasonCode.SERVER_UNAVAILABLE -> "server unavailable";
            case 4, 5, ReasonCode.BAD_USER_NAME_OR_PASSWORD, ReasonCode.NOT_AUTHORIZED ->
                    "not authorised (check remote_username and remote_password)";
            default -> "reason 0x" + Integer.toHexString(code);
        };
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    /** One attempt's view of its connection: events of an attempt that was given up are ignored. */
    private final class Events implements RemoteEvents {
        private final long mine;
        private final BridgeAddress address;

        Events(long mine, BridgeAddress address) {
            this.mine = mine;
            this.address = address;
        }

        @Override
        public void connected(RemoteChannel ch) {
            if (attempt != mine || stopped) {
                ch.close();
                return;
            }
            channel = ch;
            lastReceivedNanos = System.nanoTime();
            lastMessageNanos = lastReceivedNanos;
            sendConnect(ch);
        }

        @Override
        public void received(MqttPacket packet) {
            if (attempt == mine && channel != null) {
                Bridge.this.received(packet);
            } else if (packet instanceof Publish p) {
                p.payload().release();
            }
        }

        @Override
        public void writable() {
            if (attempt == mine && attached) {
                session.drain();
            }
        }

        @Override
        public void closed(String reason) {
            if (attempt == mine) {
                lost(reason + " (" + address + ")");
            }
        }
    }

    /** The local session's view of the remote broker. Executor only. */
    private final class Link implements SessionLink {
        @Override
        public boolean sendPublish(Outgoing out, int packetId, boolean dup) {
            out.releaseEncoded();
            if (channel == null || !online) {
                return true; // detached meanwhile: the session keeps it in flight and resends
            }
            Message m = out.message();
            String remote = toRemote(m.topic());
            if (remote == null) {
                return false; // no out line carries it (a config change): as delivered
            }
            lastMessageNanos = System.nanoTime();
            Properties props = Properties.NONE;
            if (version == MqttVersion.V5) {
                Properties.Builder b = ctx.paths().stamp(m, m.properties());
                if (m.expiresAtMillis() != Message.NEVER) {
                    b.messageExpiryInterval(m.remainingSeconds(ctx.clock().getAsLong()));
                }
                props = b.build();
            }
            int qos = Math.min(out.qos(), remoteMaxQos);
            boolean retain = out.retain() && settings.outgoingRetain() && remoteRetain;
            Publish publish = new Publish(remote, qos, retain, dup && qos > 0, qos == 0 ? 0 : packetId, props,
                    Unpooled.wrappedBuffer(m.payload()));
            if (remoteMaxPacket != Long.MAX_VALUE
                    && io.vane.protocol.codec.MqttEncoder.encodedSize(publish, version) > remoteMaxPacket) {
                LOG.warn("Bridge {}: '{}' ({} bytes) is larger than the remote broker takes; dropped.",
                        settings.name(), ClientText.forLog(remote), m.payload().length);
                ctx.stats().messageDropped();
                return false;
            }
            stats.out(m.payload().length, ctx.clock().getAsLong());
            channel.write(publish);
            if (qos == 0 && out.qos() > 0) {
                // Downgraded to the remote's maximum QoS: nothing will acknowledge it.
                executor.execute(() -> session.refused(packetId));
            }
            return true;
        }

        @Override
        public void sendPubRel(int packetId) {
            if (channel != null && online) {
                channel.write(new PubRel(packetId));
            }
        }

        @Override
        public boolean isWritable() {
            return channel != null && channel.isWritable();
        }

        @Override
        public int sendWindow() {
            return sendWindow;
        }

        @Override
        public EncodingKey encodingKey() {
            return null;
        }

        @Override
        public void takenOver() {
            LOG.warn("Bridge {}: a client connected with the bridge's local client id {}; the bridge stops. Give"
                    + " that client another id, or set local_clientid.", settings.name(), settings.localClientId());
            session = null;
            attached = false;
            stop();
        }

        @Override
        public void disconnect(int reasonCode, String reason) {
            stop();
        }
    }
}
