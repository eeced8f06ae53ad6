package io.vane.broker.session;

import io.netty.util.concurrent.EventExecutor;
import io.vane.broker.BrokerStats;
import io.vane.broker.routing.Router;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** Every session by client id. Thread-safe; sessions themselves are touched only on their owners. */
public final class SessionStore {
    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final Router router;
    private final QueueLimits limits;
    private final BrokerStats stats;
    private final LongSupplier clock;

    public SessionStore(Router router, QueueLimits limits, BrokerStats stats, LongSupplier clock) {
        this.router = router;
        this.limits = limits;
        this.stats = stats;
        this.clock = clock;
    }

    public Session get(String clientId) {
        return sessions.get(clientId);
    }

    /** Creates a session owned by {@code owner}, replacing whatever was stored under the id. */
    public Session create(String clientId, EventExecutor owner) {
        Session s = new Session(clientId, owner, limits, stats, clock);
        sessions.put(clientId, s);
        return s;
    }

    /** Ends a session on its owner thread: unroutes its subscriptions and forgets it. */
    public void end(Session session) {
        for (SubscriptionRecord sub : session.end()) {
            router.unsubscribe(session.clientId(), sub);
        }
        sessions.remove(session.clientId(), session);
    }

    public int size() {
        return sessions.size();
    }

    public Collection<Session> all() {
        return sessions.values();
    }
}
