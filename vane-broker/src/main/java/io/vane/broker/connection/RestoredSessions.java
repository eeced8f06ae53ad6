package io.vane.broker.connection;

import io.vane.broker.BrokerContext;
import io.vane.broker.persistence.StoredSession;
import io.vane.broker.session.Session;
import io.netty.util.concurrent.EventExecutor;

/**
 * Sessions the store kept, put back at start-up as if their connections had just ended: registered and
 * routed, with their expiry counted from when they were disconnected (from the restart when they were
 * connected at the time).
 */
public final class RestoredSessions {
    private RestoredSessions() {
    }

    /** Restores one session; returns false when it had expired while the broker was down (then it is gone). */
    public static boolean restore(BrokerContext ctx, StoredSession stored, EventExecutor home) {
        long now = ctx.clock().getAsLong();
        long since = stored.disconnectedAtMillis() < 0 ? now : stored.disconnectedAtMillis();
        long left = stored.expirySeconds() == SessionLifecycle.NEVER_EXPIRES ? Long.MAX_VALUE
                : since + stored.expirySeconds() * 1000L - now;
        Session s = ctx.sessions().restore(stored, home);
        // Deliveries are authorized for who the client was: without an identity the ACL lets nothing through
        // and the session would get none of the messages published while its client is away.
        s.setIdentity(new io.vane.broker.auth.ClientIdentity(stored.clientId(), stored.username(),
                stored.listenerPort()));
        if (left <= 0) {
            // Expired while Vane was down: its will goes out now, as it would have at the session's end.
            SessionLifecycle.publishWill(ctx, stored.pendingWill());
            ctx.sessions().end(s);
            return false;
        }
        if (stored.pendingWill() != null) {
            SessionLifecycle.willLater(ctx, s, stored.pendingWill(), Math.max(0, stored.willAtMillis() - now));
        }
        if (stored.disconnectedAtMillis() < 0) {
            // Connected when the broker stopped: the disconnect is now.
            s.detachedFor(stored.expirySeconds(), now);
        }
        if (left != Long.MAX_VALUE) {
            SessionLifecycle.expireLater(ctx, s, s.claimNumber(), left);
        }
        return true;
    }
}
