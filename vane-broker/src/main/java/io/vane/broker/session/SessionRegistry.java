package io.vane.broker.session;

import io.netty.util.concurrent.EventExecutor;
import io.vane.broker.BrokerStats;
import io.vane.broker.persistence.SessionJournal;
import io.vane.broker.routing.Router;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Every session by client id, and the one place where a client id changes hands. Thread-safe;
 * sessions themselves are touched only on their owners.
 *
 * <p>{@link #claim} finds or creates the session and stamps it with a new claim number in one atomic
 * step, so of two CONNECTs with one client id on two event loops exactly one ends up attached: each
 * claimant checks on the session's owner that its number is still the latest before it attaches, and
 * a later claim takes over whoever attached first [MQTT-3.1.4-3]. {@link #end} removes a session only
 * if nobody claimed it since the caller's claim, so an ending connection never drops a session that a
 * new connection has just claimed.
 */
public final class SessionRegistry {
    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final Router router;
    private final QueueLimits limits;
    private final BrokerStats stats;
    private final LongSupplier clock;
    private final SessionJournal journal;

    public SessionRegistry(Router router, QueueLimits limits, BrokerStats stats, LongSupplier clock,
            SessionJournal journal) {
        this.router = router;
        this.limits = limits;
        this.stats = stats;
        this.clock = clock;
        this.journal = journal;
    }

    /**
     * The outcome of a claim.
     *
     * @param session the session, existing or new
     * @param created true when the claim made it (owned by the claimant's executor, empty)
     * @param number this claim's number; the claimant may attach only while it is the session's latest
     */
    public record Claim(Session session, boolean created, long number) {
        /** Whether no later claim has been made since; read on the session's owner. */
        public boolean isLatest() {
            return session.claimNumber() == number;
        }
    }

    /** Claims a client id for a connection whose event loop is {@code owner}. Any thread. */
    /**
     * What an in-process claimant (a local client, a bridge) does with a claim: a session the claim made
     * is its at once; one that existed is taken from whichever link holds it (told it was taken over), on
     * its owner, where {@code prepare} empties or keeps it, then moved to {@code owner}, where {@code then}
     * runs. {@code then} checks {@link Claim#isLatest()} itself.
     */
    public static void takeOver(Claim claim, EventExecutor owner, java.util.function.Consumer<Session> prepare,
            Runnable then) {
        Session s = claim.session();
        if (claim.created()) {
            then.run();
            return;
        }
        s.execute(() -> {
            SessionLink old = s.link();
            if (old != null) {
                s.detach(old);
                old.takenOver();
            }
            prepare.accept(s);
            s.moveTo(owner);
            owner.execute(then);
        });
    }

    public Claim claim(String clientId, EventExecutor owner) {
        boolean[] created = new boolean[1];
        long[] number = new long[1];
        Session claimed = sessions.compute(clientId, (id, existing) -> {
            Session s = existing;
            if (s == null) {
                s = new Session(id, owner, limits, stats, clock, journal);
                created[0] = true;
            }
            number[0] = s.newClaim();
            return s;
        });
        return new Claim(claimed, created[0], number[0]);
    }

    /**
     * Puts back a session the store kept: registered, its subscriptions routed, owned by {@code home}
     * until a connection claims it. Start-up only, before any connection exists: it runs on the caller's
     * thread, and the registry's map publishes the session to its owner.
     */
    public Session restore(io.vane.broker.persistence.StoredSession stored, EventExecutor home) {
        Session s = new Session(stored.clientId(), home, limits, stats, clock, journal);
        s.restore(stored);
        sessions.put(stored.clientId(), s);
        for (SubscriptionRecord sub : s.subscriptions()) {
            router.subscribe(s, sub);
        }
        return s;
    }

    public Session get(String clientId) {
        return sessions.get(clientId);
    }

    /**
     * Ends a session on its owner thread, if no claim was made after {@code claimNumber}: unroutes its
     * subscriptions and forgets it. Returns false (and changes nothing) when a newer claim holds it.
     */
    public boolean end(Session session, long claimNumber) {
        boolean[] removed = new boolean[1];
        sessions.computeIfPresent(session.clientId(), (id, current) -> {
            if (current != session || session.claimNumber() != claimNumber) {
                return current;
            }
            removed[0] = true;
            return null;
        });
        if (!removed[0]) {
            return false;
        }
        for (SubscriptionRecord sub : session.end()) {
            router.unsubscribe(session.clientId(), sub);
        }
        return true;
    }

    /** Ends a session whatever claims were made (shutdown, local clients closing). */
    public void end(Session session) {
        end(session, session.claimNumber());
    }

    /** Empties a session for a Clean Start claim, keeping it registered: unroutes its subscriptions. */
    public void clear(Session session) {
        for (SubscriptionRecord sub : session.clear()) {
            router.unsubscribe(session.clientId(), sub);
        }
    }

    public int size() {
        return sessions.size();
    }

    public Collection<Session> all() {
        return sessions.values();
    }
}
