package io.vane.broker.routing;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import io.vane.broker.Message;
import io.vane.broker.auth.Authorizer;
import io.vane.broker.delivery.EncodingKey;
import io.vane.broker.delivery.Outgoing;
import io.vane.broker.delivery.SharedEncoding;
import io.vane.broker.persistence.PublishTicket;
import io.vane.broker.session.Session;
import io.vane.broker.session.SubscriptionRecord;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Routes a published message to every matching subscription: once per session with the highest
 * granted QoS and every matching Subscription Identifier [MQTT-3.3.4-2, -3], once per shared group,
 * and to in-process subscribers.
 *
 * <p>Threading: {@link #route} runs on the publisher's thread and only reads shared structures;
 * each delivery runs on the target session's owner, with one task per other event loop per message.
 */
public final class Router {
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final SubscriptionTrie<Route> trie = new SubscriptionTrie<>();
    private final Map<String, SharedGroup> sharedGroups = new ConcurrentHashMap<>();
    private final Authorizer authorizer;
    private final boolean upgradeOutgoingQos;

    public Router(Authorizer authorizer) {
        this(authorizer, false);
    }

    /** @param upgradeOutgoingQos upgrade_outgoing_qos: deliver at the subscription's QoS, not the lower one */
    public Router(Authorizer authorizer, boolean upgradeOutgoingQos) {
        this.authorizer = authorizer;
        this.upgradeOutgoingQos = upgradeOutgoingQos;
    }

    /**
     * The QoS a subscriber gets a message at: the lower of the two [MQTT-3.3.1-?] (3.8.4 "Maximum QoS"),
     * or with Mosquitto's upgrade_outgoing_qos the subscription's own, for live and retained messages
     * alike.
     */
    public static int deliveredQos(int granted, int published, boolean upgrade) {
        return upgrade ? granted : Math.min(granted, published);
    }

    public boolean upgradesOutgoingQos() {
        return upgradeOutgoingQos;
    }

    // ---- subscriptions ----------------------------------------------------------------------------

    public void subscribe(Session session, SubscriptionRecord sub) {
        Subscriber subscriber = new Subscriber(session, sub);
        if (!sub.isShared()) {
            trie.put(sub.topicFilter(), session.clientId(), subscriber);
            return;
        }
        String key = sharedKey(sub.shareGroup(), sub.topicFilter());
        sharedGroups.compute(key, (k, group) -> {
            if (group == null) {
                group = new SharedGroup(sub.shareGroup(), sub.topicFilter());
                trie.put(sub.topicFilter(), "$share/" + sub.shareGroup(), group);
            }
            group.put(subscriber);
            return group;
        });
    }

    public void unsubscribe(String clientId, SubscriptionRecord sub) {
        if (!sub.isShared()) {
            trie.remove(sub.topicFilter(), clientId);
            return;
        }
        sharedGroups.computeIfPresent(sharedKey(sub.shareGroup(), sub.topicFilter()), (k, group) -> {
            if (group.remove(clientId)) {
                trie.remove(sub.topicFilter(), "$share/" + sub.shareGroup());
                return null;
            }
            return group;
        });
    }

    /** Adds an in-process subscriber; returns a handle that removes it. */
    public Runnable subscribeLocal(String filter, Consumer<Message> consumer) {
        String id = "$local/" + System.identityHashCode(consumer) + "/" + System.nanoTime();
        trie.put(filter, id, new LocalSubscriber(id, consumer));
        return () -> trie.remove(filter, id);
    }

    public int subscriptionCount() {
        return trie.size();
    }

    private static String sharedKey(String group, String filter) {
        return group + '\u0000' + filter;
    }

    // ---- routing ----------------------------------------------------------------------------------

    /**
     * Routes one message. Returns how many sessions and local subscribers it went to, so a 5.0
     * PUBACK can say "No matching subscribers" (0x10).
     */
    public int route(Message message) {
        return route(message, null);
    }

    /**
     * Routes one message whose acknowledgement waits for the store: every QoS 1/2 delivery to a
     * persistent session {@link PublishTicket#expect}s and, once the session has journaled it on its
     * owner, {@link PublishTicket#arrive}s. {@code ticket} may be null (nothing to wait for).
     */
    public int route(Message message, PublishTicket ticket) {
        Scratch s = SCRATCH.get();
        if (s.busy) {
            // Routing from inside routing (an in-process subscriber that publishes): fresh lists, so
            // the outer call's matches and shared encoding are not cleared under it.
            s = new Scratch();
        }
        s.busy = true;
        try {
            return route(message, s, ticket);
        } finally {
            s.busy = false;
        }
    }

    /**
     * A congested session (its queue past the high-water mark, or its connection behind, online) that the
     * last {@link #route} on this thread sent a message to, or null; cleared by the call. The publisher's connection
     * stops reading until that session is relieved (docs/decisions/0002).
     */
    public static Session takeCongested() {
        Scratch s = SCRATCH.get();
        Session c = s.congested;
        s.congested = null;
        return c;
    }

    /**
     * {@code route}'s result, with every delivery it makes queued on its session's loop, none made at
     * once on this thread. For messages that reach this broker by several connections (bridges): a
     * delivery made at once would overtake one another connection queued a moment before, so the order
     * in which they were routed would not be the order a subscriber sees.
     */
    public static <T> T inQueueOrder(java.util.function.Supplier<T> route) {
        Scratch s = SCRATCH.get();
        boolean was = s.queued;
        s.queued = true;
        try {
            return route.get();
        } finally {
            s.queued = was;
        }
    }

    private int route(Message message, Scratch s, PublishTicket ticket) {
        s.congested = null;
        List<Route> matches = s.matches;
        matches.clear();
        trie.match(message.topic(), matches::add);
        if (matches.isEmpty()) {
            return 0;
        }
        int count = 0;
        List<Target> targets = s.targets;
        targets.clear();
        Map<Session, Target> bySession = s.bySession;
        bySession.clear();
        s.shared.reset(message);
        for (int i = 0, n = matches.size(); i < n; i++) {
            Route r = matches.get(i);
            if (r instanceof Subscriber sub) {
                if (sub.subscription().noLocal() && sub.session().clientId().equals(message.publisherId())) {
                    continue;
                }
                addTarget(targets, bySession, sub, message);
            } else if (r instanceof SharedGroup group) {
                Subscriber member = group.pick();
                if (member != null) {
                    addTarget(targets, bySession, member, message);
                }
            } else if (r instanceof LocalSubscriber local) {
                local.consumer().accept(message);
                count++;
            }
        }
        for (int i = 0, n = targets.size(); i < n; i++) {
            Target t = targets.get(i);
            if (!authorizer.canRead(t.session.identity(), message.topic())) {
                continue;
            }
            count++;
            Outgoing out = t.toOutgoing(message, s.shared, upgradeOutgoingQos);
            boolean counted = false;
            if (out.qos() > 0) {
                // Messages on their way to another loop count towards the session's congestion at once,
                // so a publisher is paused before it can overrun the queue (docs/decisions/0002).
                counted = !t.session.owner().inEventLoop();
                boolean congested = counted ? t.session.arriving() : t.session.isCongested();
                if (congested && s.congested == null) {
                    s.congested = t.session;
                }
            } else if (s.congested == null && t.session.isCongested()) {
                // QoS 0 to a reader that is behind: its publisher waits too (decision 0002).
                s.congested = t.session;
            }
            if (ticket != null && out.qos() > 0 && t.session.isPersistent()) {
                ticket.expect();
                dispatch(s, t.session, out, ticket, counted);
            } else {
                dispatch(s, t.session, out, null, counted);
            }
        }
        submitBatches(s);
        s.shared.release();
        return count;
    }

    private static void addTarget(List<Target> targets, Map<Session, Target> bySession, Subscriber sub,
            Message message) {
        Target existing = bySession.get(sub.session());
        if (existing != null) {
            existing.merge(sub.subscription());
            return;
        }
        Target t = new Target(sub.session(), sub.subscription());
        targets.add(t);
        bySession.put(sub.session(), t);
    }

    /** Delivers now when this thread owns the session, else batches it for the owner. */
    private static void dispatch(Scratch s, Session session, Outgoing out, PublishTicket ticket, boolean counted) {
        EventExecutor owner = session.owner();
        if (owner.inEventLoop() && !counted && !s.queued) {
            deliver(session, out, ticket, false);
            return;
        }
        s.batches.computeIfAbsent(owner, e -> new ArrayList<>()).add(new Batched(session, out, ticket, counted));
    }

    /**
     * On the session's owner: delivers, then tells the ticket the session has journaled it and, when the
     * message was counted on its way ({@link Session#arriving}), that it arrived.
     */
    private static void deliver(Session session, Outgoing out, PublishTicket ticket, boolean counted) {
        try {
            session.deliver(out);
        } finally {
            if (counted) {
                session.arrived();
            }
            if (ticket != null) {
                ticket.arrive();
            }
        }
    }

    private static void submitBatches(Scratch s) {
        if (s.batches.isEmpty()) {
            return;
        }
        for (Map.Entry<EventExecutor, List<Batched>> e : s.batches.entrySet()) {
            List<Batched> batch = List.copyOf(e.getValue());
            e.getKey().execute(() -> {
                for (Batched b : batch) {
                    if (b.session.owner().inEventLoop()) {
                        deliver(b.session, b.out, b.ticket, b.counted);
                    } else {
                        // Taken over by a connection on another loop since: follow it.
                        b.session.execute(() -> deliver(b.session, b.out, b.ticket, b.counted));
                    }
                }
            });
        }
        s.batches.clear();
    }

    /** Delivers a message to exactly one session (retained messages on subscribe, wills). */
    public static void deliverTo(Session session, Outgoing out) {
        session.execute(() -> session.deliver(out));
    }

    /** Per-thread reusable collections, so routing allocates little per message. */
    private static final class Scratch {
        boolean busy;
        boolean queued;
        Session congested;
        final List<Route> matches = new ArrayList<>();
        final List<Target> targets = new ArrayList<>();
        final Map<Session, Target> bySession = new IdentityHashMap<>();
        final Map<EventExecutor, List<Batched>> batches = new IdentityHashMap<>();
        final SharedEncoding shared = new SharedEncoding();
    }

    private record Batched(Session session, Outgoing out, PublishTicket ticket, boolean counted) {
    }

    /** One session's merged view of all its subscriptions that matched one message. */
    private static final class Target {
        final Session session;
        int qos;
        boolean retainAsPublished;
        int[] subscriptionIds;

        Target(Session session, SubscriptionRecord sub) {
            this.session = session;
            this.qos = sub.qos();
            this.retainAsPublished = sub.retainAsPublished();
            this.subscriptionIds = sub.subscriptionId() > 0 ? new int[] {sub.subscriptionId()} : NO_IDS;
        }

        void merge(SubscriptionRecord sub) {
            qos = Math.max(qos, sub.qos());
            retainAsPublished |= sub.retainAsPublished();
            if (sub.subscriptionId() > 0) {
                int[] ids = java.util.Arrays.copyOf(subscriptionIds, subscriptionIds.length + 1);
                ids[ids.length - 1] = sub.subscriptionId();
                subscriptionIds = ids;
            }
        }

        Outgoing toOutgoing(Message m, SharedEncoding shared, boolean upgrade) {
            // [MQTT-3.3.1-12], [MQTT-3.3.1-13]; 3.1.1 [MQTT-3.3.1-9] is retainAsPublished == false.
            int q = deliveredQos(qos, m.qos(), upgrade);
            boolean retain = retainAsPublished && m.retain();
            ByteBuf encoded = null;
            EncodingKey key = null;
            if (q == 0 && subscriptionIds.length == 0 && m.expiresAtMillis() == Message.NEVER) {
                // The key the session published at attach; never the link itself (owner-only state).
                key = session.encodingKey();
                if (key != null) {
                    encoded = shared.duplicateFor(key, retain);
                }
            }
            return new Outgoing(m, q, retain, subscriptionIds, encoded, encoded == null ? null : key);
        }
    }

    private static final int[] NO_IDS = new int[0];
}
