package io.vane.broker.session;

import io.vane.broker.delivery.EncodingKey;
import io.vane.broker.delivery.Outgoing;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.vane.broker.BrokerStats;
import io.vane.broker.Message;
import io.vane.broker.persistence.SessionJournal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The state MQTT keeps for one client id across connections (3.1.1 section 4.1, 5.0 section 4.1):
 * subscriptions, outbound messages in flight and queued, and inbound QoS 2 packet ids.
 *
 * <p>Threading: owned by {@link #owner()}, the event loop of the connection it was last attached to.
 * Every method except {@link #owner()}, {@link #clientId()}, {@link #identity()} and
 * {@link #encodingKey()} (immutable values, published with volatile writes) must run there; other threads hand it
 * work with {@link #execute(Runnable)}, which follows the session if its owner changes meanwhile.
 *
 * <p>State lives in three named parts, {@link SubscriptionSet}, {@link MessageQueue} and
 * {@link InflightWindow}, plus the inbound QoS 2 packet ids; each change to any of them passes through
 * the {@link SessionJournal}, the seam a durable store plugs into. This class coordinates them: attach,
 * deliver, acknowledge, drain, and the expiry and will timers (which are not state a store keeps).
 *
 * <p>Overflow policy (docs/decisions/0002-queue-overflow.md): when the queue is full, the newest
 * message is dropped and counted; QoS 0 messages for an online client whose connection cannot take
 * more bytes are dropped and counted too. Messages already queued are never dropped for new ones.
 */
public final class Session {
    private final String clientId;
    private QueueLimits limits;
    private final BrokerStats stats;
    private final SessionJournal journal;
    private final LongSupplier clock;
    private volatile EventExecutor owner;
    /** Bumped by every claim of the client id (SessionRegistry), read on the owner to spot a later claim. */
    private final java.util.concurrent.atomic.AtomicLong claims = new java.util.concurrent.atomic.AtomicLong();
    private volatile io.vane.broker.auth.ClientIdentity identity;
    /** Whether the session outlives its connection (expiry above 0), so its changes are stored; any thread reads. */
    private volatile boolean persistent;

    private volatile SessionLink link;
    /** The attached link's encoding key, for routing threads; null while detached. */
    private volatile EncodingKey encodingKey;
    private final SubscriptionSet subscriptions;
    private final InflightWindow inflight;
    private final MessageQueue queue;
    private final Set<Integer> inboundQos2 = new HashSet<>();
    /**
     * Retained messages a SUBSCRIBE asked for, still to be sent, and the live QoS 0 messages that
     * arrived behind them: paced by the link's writability and window, never dropped for a full write
     * buffer, and sent before the queue so a live message never overtakes an older retained one. Not
     * journaled: the retained store is their durable copy.
     */
    private java.util.ArrayDeque<Outgoing> burst; // null when there is none: the fan-out path reads one field
    /** How many live QoS 0 messages may wait behind the current burst before they are dropped. */
    private int burstLiveRoom;
    private boolean ended;
    /**
     * Online with its queue past the high-water mark: publishers that route QoS 1/2 messages to it stop
     * reading until it is back at the low-water mark (docs/decisions/0002). Any thread reads.
     */
    private volatile boolean congested;
    /** Made no progress for the pacing timeout: publishers no longer wait for it, its queue drops again. */
    private volatile boolean stalled;
    private volatile long lastProgressNanos = System.nanoTime();
    /** QoS 1/2 messages routed here from other loops and not yet delivered; routing threads add. */
    private final java.util.concurrent.atomic.AtomicInteger inTransit = new java.util.concurrent.atomic.AtomicInteger();
    /** What to run when the congestion ends: paused publishers' resumptions. Any thread adds. */
    private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> relief =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private long droppedSinceLog;
    private volatile long droppedTotal;
    private long lastDropLogged;
    static final long DROP_LOG_INTERVAL_MILLIS = 60_000;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("vane.broker");
    private ScheduledFuture<?> expiryTask;
    private ScheduledFuture<?> willTask;
    private Message pendingWill;

    public Session(String clientId, EventExecutor owner, QueueLimits limits, BrokerStats stats, LongSupplier clock,
            SessionJournal journal) {
        this.clientId = clientId;
        this.owner = owner;
        this.limits = limits;
        this.stats = stats;
        this.clock = clock;
        this.journal = journal;
        this.subscriptions = new SubscriptionSet(this, journal);
        this.inflight = new InflightWindow(this, journal);
        this.queue = new MessageQueue(this, journal, limits);
    }

    /** The limits its queue keeps to: max_queued_messages / _bytes, or a bridge's own. */
    public QueueLimits queueLimits() {
        return limits;
    }

    /**
     * Gives this session limits of its own (a bridge's bridge_max_queued_messages / _bytes); the global
     * budget stays shared. Owner thread; what is queued already stays.
     */
    public void setQueueLimits(QueueLimits newLimits) {
        limits = newLimits;
        queue.setLimits(newLimits);
    }

    public String clientId() {
        return clientId;
    }

    public EventExecutor owner() {
        return owner;
    }

    /** Runs the task on the owner, now if already there; re-routes if ownership moved meanwhile. */
    public void execute(Runnable task) {
        EventExecutor current = owner;
        if (current.inEventLoop()) {
            task.run();
        } else {
            current.execute(() -> execute(task));
        }
    }

    /** Called by the registry inside its atomic claim; returns the new claim's number. */
    long newClaim() {
        return claims.incrementAndGet();
    }

    /** The number of the latest claim; any thread. */
    public long claimNumber() {
        return claims.get();
    }

    /** Hands the session to another event loop; call on the current owner. */
    public void moveTo(EventExecutor newOwner) {
        owner = newOwner;
    }

    /** Who last attached, for read authorization of deliveries. */
    public io.vane.broker.auth.ClientIdentity identity() {
        return identity;
    }

    public void setIdentity(io.vane.broker.auth.ClientIdentity who) {
        identity = who;
    }

    /** Whether the session is kept beyond its connection, and so journaled to the store. Any thread. */
    public boolean isPersistent() {
        return persistent;
    }

    /**
     * The attaching connection's Session Expiry Interval (0: the session ends with the connection). A
     * session that becomes kept now hands its whole state to the journal, so the store starts complete.
     */
    public void keepFor(long expirySeconds) {
        boolean was = persistent;
        persistent = expirySeconds > 0;
        if (was || persistent) {
            journal.keptFor(this, expirySeconds); // a clean session that never was kept costs no write
        }
        if (persistent && !was) {
            journalWholeState();
        }
    }

    /** The connection ended; the session is kept for {@code expirySeconds} from {@code atMillis}. */
    public void detachedFor(long expirySeconds, long atMillis) {
        journal.detached(this, expirySeconds, atMillis);
    }

    private void journalWholeState() {
        for (SubscriptionRecord r : subscriptions.all()) {
            journal.subscribed(this, r);
        }
        queue.forEach(o -> journal.queued(this, o));
        for (Inflight f : inflight.inOrder()) {
            journal.inflight(this, f.packetId(), f.outgoing());
            if (f.released()) {
                journal.released(this, f.packetId());
            }
        }
        for (int id : inboundQos2) {
            journal.inboundQos2(this, id);
        }
    }

    /**
     * Puts back what the store kept, on the owner before any connection can claim the session; nothing
     * is journaled again. Subscriptions are routed by the caller.
     */
    void restore(io.vane.broker.persistence.StoredSession stored) {
        persistent = true;
        stored.subscriptions().forEach(subscriptions::restore);
        stored.queued().forEach(queue::restore);
        for (io.vane.broker.persistence.StoredSession.InflightEntry e : stored.inflight()) {
            inflight.restore(e.outgoing(), e.packetId(), e.released());
        }
        inboundQos2.addAll(stored.inboundQos2());
    }

    public boolean isOnline() {
        return link != null;
    }

    public boolean isEnded() {
        return ended;
    }

    /** The attached link; owner thread only. */
    public SessionLink link() {
        return link;
    }

    /**
     * The key of the shared bytes the attached link takes, or null; the one piece of link state other
     * threads may read. A delivery made for a stale key is re-encoded by the link.
     */
    public EncodingKey encodingKey() {
        return encodingKey;
    }

    // ---- attach / detach --------------------------------------------------------------------------

    /** Attaches a connection and resends what was in flight [MQTT-4.4.0-1], then drains the queue. */
    public void attach(SessionLink newLink) {
        cancelTimers();
        link = newLink;
        encodingKey = newLink.encodingKey();
        for (Inflight f : inflight.inOrder()) {
            if (f.released()) {
                link.sendPubRel(f.packetId());
            } else if (!link.sendPublish(f.outgoing(), f.packetId(), true)) {
                // Too large for the new connection: the spec says to treat it as delivered.
                inflight.complete(f.packetId());
            }
        }
        drain();
    }

    public void detach(SessionLink oldLink) {
        if (link == oldLink) {
            link = null;
            encodingKey = null;
            relieve(); // offline, its queue follows max_queued_messages: nobody waits for it
            // What the burst did not send yet is delivered as to any offline session.
            java.util.ArrayDeque<Outgoing> left = burst;
            burst = null;
            while (left != null && !left.isEmpty()) {
                deliver(left.poll());
            }
        }
    }

    /**
     * Sends the retained messages a SUBSCRIBE matched [MQTT-3.3.1-9], paced by the link rather than
     * dropped when its write buffer is full (a page subscribing to {@code #} gets every one). Offline,
     * they are delivered as any message.
     */
    public void deliverRetained(List<Outgoing> retained) {
        if (retained.isEmpty()) {
            return;
        }
        if (link == null || ended) {
            retained.forEach(this::deliver);
            return;
        }
        if (burst == null) {
            burst = new java.util.ArrayDeque<>(retained.size());
        }
        burst.addAll(retained);
        burstLiveRoom = Math.max(burstLiveRoom, limits.maxMessages() > 0 ? limits.maxMessages() : 1000);
        drain();
    }

    // ---- outbound ---------------------------------------------------------------------------------

    /** Delivers one message to this session now, or queues it. Takes ownership of {@code out.encoded()}. */
    public void deliver(Outgoing out) {
        if (ended) {
            out.withoutEncoded();
            return;
        }
        if (out.message().isExpired(clock.getAsLong())) {
            out.withoutEncoded();
            stats.messageExpired();
            return;
        }
        if (out.qos() == 0) {
            if (link != null && burst != null) {
                if (burstLiveRoom > 0) {
                    burstLiveRoom--;
                    burst.add(out.withoutEncoded());
                } else {
                    out.withoutEncoded();
                    dropped(out);
                }
            } else if (link != null) {
                if (link.isWritable()) {
                    link.sendPublish(out, 0, false);
                    if (!congested && !stalled && link.isBehind()) {
                        // A reader behind for the moment: its publishers wait rather than its QoS 0
                        // being dropped once its grace is over (decision 0002).
                        congested = true;
                        lastProgressNanos = System.nanoTime();
                    }
                } else {
                    out.withoutEncoded();
                    dropped(out);
                    if (congested && mayRelieve()) {
                        relieve();
                    }
                }
            } else if (limits.queueQos0()) {
                enqueue(out.withoutEncoded());
            } else {
                out.withoutEncoded();
            }
            return;
        }
        out = out.withoutEncoded();
        if (link != null && burst == null && queue.isEmpty() && inflight.size() < link.sendWindow()) {
            send(out, false);
        } else {
            enqueue(out);
        }
    }

    private void send(Outgoing out, boolean fromQueue) {
        int id = inflight.nextPacketId();
        if (fromQueue) {
            progressed();
        }
        if (link.sendPublish(out, id, false)) {
            inflight.sent(out, id, fromQueue);
        } else if (fromQueue) {
            // Too large for this client: treated as delivered, so it leaves the store too.
            journal.dequeued(this, out);
        }
    }

    private void enqueue(Outgoing out) {
        boolean paced = link != null && !stalled && out.qos() > 0;
        MessageQueue.Full full = queue.offer(out, paced);
        if (paced && !congested && queue.isHigh()) {
            congested = true;
            lastProgressNanos = System.nanoTime(); // the stall clock starts now, not at its last send
        }
        if (full == MessageQueue.Full.SESSION) {
            dropped(out);
        } else if (full == MessageQueue.Full.BROKER) {
            // Counted here and logged once a minute for the whole broker (SessionRegistry), not per client.
            stats.messageDropped();
            droppedTotal++;
        }
    }

    private void dropped(Outgoing out) {
        stats.messageDropped();
        droppedSinceLog++;
        droppedTotal++;
        // Mosquitto's words, at most once a minute per client so a slow reader cannot flood the log.
        long now = clock.getAsLong();
        if (lastDropLogged == 0 || now - lastDropLogged >= DROP_LOG_INTERVAL_MILLIS) {
            lastDropLogged = now;
            LOG.info("Outgoing messages are being dropped for client {}.", clientId);
        }
    }

    /**
     * A routing thread is sending a QoS 1/2 message here from another loop; returns whether its publisher
     * should wait ({@link #onRelief}). Online and not stalled, the session is congested once its queue
     * plus what is on its way reach the high-water mark. Pair with {@link #arrived} on the owner.
     */
    public boolean arriving() {
        int pressure = inTransit.incrementAndGet() + queue.sizeAnyThread();
        if (link == null || stalled) {
            return false;
        }
        if (congested) {
            return true;
        }
        if (limits.isHighCount(pressure)) {
            congested = true;
            lastProgressNanos = System.nanoTime(); // the stall clock starts now, not at its last send
            return true;
        }
        return false;
    }

    /** The message announced by {@link #arriving} was delivered (or dropped); owner thread. */
    public void arrived() {
        inTransit.decrementAndGet();
        if (congested && (link == null || mayRelieve())) {
            relieve();
        }
    }

    /**
     * Whether an online congested session may let its publishers read again: its queue and what is on
     * its way are back at the low-water mark, and its connection is not behind. Owner thread.
     */
    private boolean mayRelieve() {
        return limits.isLowCount(queue.size() + inTransit.get()) && queue.isLow() && !link.isBehind();
    }

    /**
     * Whether publishers routing QoS 1/2 messages here should stop reading until {@link #onRelief}. Any
     * thread.
     */
    public boolean isCongested() {
        return congested;
    }

    /**
     * Runs {@code task} (on whatever thread ends the congestion) once this session is no longer
     * congested; at once if it is not. Any thread.
     */
    public void onRelief(Runnable task) {
        relief.add(task);
        if (!congested) {
            runRelief();
        }
    }

    /** Nanos (System.nanoTime) of the last message that left the queue for the client; any thread. */
    public long lastProgressNanos() {
        return lastProgressNanos;
    }

    /**
     * The session made no progress for the pacing timeout: publishers stop waiting for it and a full queue
     * drops again (counted and logged), until it takes a message. Any thread.
     */
    public void markStalled() {
        if (!stalled) {
            stalled = true;
            execute(this::relieve);
        }
    }

    public boolean isStalled() {
        return stalled;
    }

    private void progressed() {
        lastProgressNanos = System.nanoTime();
        stalled = false;
    }

    /** Ends the congestion: paused publishers read again. Owner thread. */
    private void relieve() {
        if (congested) {
            congested = false;
        }
        runRelief();
    }

    private void runRelief() {
        Runnable r;
        while ((r = relief.poll()) != null) {
            r.run();
        }
    }

    /** Messages dropped for this client since the session began; read by $SYS from another thread. */
    public long droppedTotal() {
        return droppedTotal;
    }

    /** Messages dropped since the last call, for a rate-limited log line; resets the count. */
    public long takeDroppedCount() {
        long n = droppedSinceLog;
        droppedSinceLog = 0;
        return n;
    }

    /** Sends the retained burst, then queued messages, while the in-flight window and the connection allow. */
    public void drain() {
        long now = clock.getAsLong();
        while (link != null && burst != null) {
            Outgoing next = burst.peek();
            if (next.qos() > 0 ? inflight.size() >= link.sendWindow() : !link.isWritable()) {
                return;
            }
            burst.poll();
            if (burst.isEmpty()) {
                burst = null;
            }
            if (next.message().isExpired(now)) {
                stats.messageExpired();
            } else if (next.qos() == 0) {
                link.sendPublish(next, 0, false);
            } else {
                send(next, false);
            }
        }
        burstLiveRoom = 0;
        while (link != null && !queue.isEmpty()) {
            Outgoing next = queue.peek();
            if (next.qos() > 0 && inflight.size() >= link.sendWindow()) {
                break;
            }
            if (next.qos() == 0 && !link.isWritable()) {
                break;
            }
            if (next.qos() == 0) {
                queue.poll();
                if (next.message().isExpired(now)) {
                    stats.messageExpired();
                } else {
                    link.sendPublish(next, 0, false);
                }
                continue;
            }
            queue.pollForSend();
            if (next.message().isExpired(now)) {
                journal.dequeued(this, next);
                stats.messageExpired();
                continue;
            }
            send(next, true);
        }
        if (congested && (link == null || mayRelieve())) {
            relieve();
        }
    }

    /** PUBACK for QoS 1; returns false when no such packet id was in flight. */
    public boolean acknowledge(int packetId) {
        Inflight f = inflight.get(packetId);
        if (f == null || f.outgoing().qos() != 1) {
            return false;
        }
        inflight.complete(packetId);
        drain();
        return true;
    }

    /** PUBREC for QoS 2: the message is now the client's; PUBREL follows. False if unknown. */
    public boolean received(int packetId) {
        Inflight f = inflight.get(packetId);
        if (f == null || f.outgoing().qos() != 2) {
            return false;
        }
        inflight.release(packetId);
        return true;
    }

    /** PUBREC with an error reason (5.0): the client refused it; the flow ends here. */
    public void refused(int packetId) {
        if (inflight.complete(packetId)) {
            drain();
        }
    }

    /** PUBCOMP: completes QoS 2. False if unknown. */
    public boolean completed(int packetId) {
        Inflight f = inflight.get(packetId);
        if (f == null || !f.released()) {
            return false;
        }
        inflight.complete(packetId);
        drain();
        return true;
    }

    /** Completes when this session's journaled changes so far are durable (SUBACK waits for it). */
    public java.util.concurrent.CompletionStage<Void> journalFlushed() {
        return journal.flushed(this);
    }

    /** The in-flight messages in send order; for tests and, later, $SYS. */
    List<Inflight> inflightInOrder() {
        return inflight.inOrder();
    }

    /** Inbound QoS 2 packet ids awaiting PUBREL; a copy. */
    Set<Integer> inboundQos2Ids() {
        return new HashSet<>(inboundQos2);
    }

    public int inflightCount() {
        return inflight.size();
    }

    public int queuedCount() {
        return queue.size();
    }

    // ---- inbound QoS 2 ----------------------------------------------------------------------------

    /** Records an inbound QoS 2 packet id; false if it was already there (a resend: do not route again). */
    public boolean beginInboundQos2(int packetId) {
        if (!inboundQos2.add(packetId)) {
            return false;
        }
        journal.inboundQos2(this, packetId);
        return true;
    }

    /** PUBREL from the client; returns whether the id was known. */
    public boolean releaseInboundQos2(int packetId) {
        if (!inboundQos2.remove(packetId)) {
            return false;
        }
        journal.inboundQos2Released(this, packetId);
        return true;
    }

    public int inboundQos2Count() {
        return inboundQos2.size();
    }

    // ---- subscriptions ----------------------------------------------------------------------------

    /** Stores a subscription; returns the previous one for the same filter, or null. */
    public SubscriptionRecord putSubscription(SubscriptionRecord record) {
        return subscriptions.put(record);
    }

    public SubscriptionRecord removeSubscription(String filter) {
        return subscriptions.remove(filter);
    }

    public List<SubscriptionRecord> subscriptions() {
        return subscriptions.all();
    }

    public int subscriptionCount() {
        return subscriptions.size();
    }

    // ---- lifetime ---------------------------------------------------------------------------------

    /** Ends the session: it takes no more messages. Returns its subscriptions for the caller to unroute. */
    List<SubscriptionRecord> end() {
        ended = true;
        List<SubscriptionRecord> subs = clear();
        journal.ended(this);
        return subs;
    }

    /** Forgets all state (Clean Start on a claimed session); returns the subscriptions to unroute. */
    List<SubscriptionRecord> clear() {
        cancelTimers();
        relieve();
        List<SubscriptionRecord> subs = subscriptions.clear();
        queue.clear();
        burst = null;
        inflight.clear();
        inboundQos2.clear();
        link = null;
        encodingKey = null;
        journal.cleared(this);
        return subs;
    }

    public void setExpiryTask(ScheduledFuture<?> task) {
        cancel(expiryTask);
        expiryTask = task;
    }

    /** Remembers a will that waits for its delay; {@link #takePendingWill()} hands it out once. */
    public void setPendingWill(Message will, ScheduledFuture<?> task, long publishAtMillis) {
        cancel(willTask);
        willTask = task;
        pendingWill = will;
        if (persistent) {
            journal.willPending(this, will, publishAtMillis);
        }
    }

    /** The delayed will not yet published, once; null when there is none. */
    public Message takePendingWill() {
        Message w = pendingWill;
        pendingWill = null;
        if (w != null && persistent) {
            journal.willCleared(this);
        }
        cancel(willTask);
        willTask = null;
        return w;
    }

    /** Cancels a pending delayed will, as a reconnect must [MQTT-3.1.3-9]. */
    public void cancelWill() {
        takePendingWill();
    }

    private void cancelTimers() {
        cancel(expiryTask);
        expiryTask = null;
        cancelWill();
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    /** Drops expired messages from the queue; returns how many (for tests and $SYS). */
    public int purgeExpired() {
        return queue.purgeExpired(clock.getAsLong());
    }
}
