package io.vane.broker.connection;

import io.netty.util.concurrent.EventExecutor;
import io.vane.broker.BrokerContext;
import io.vane.broker.Message;
import io.vane.broker.security.ClientText;
import io.vane.broker.session.Session;
import io.vane.broker.session.SessionLink;
import io.vane.broker.session.SessionRegistry;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.packet.Will;
import java.util.concurrent.TimeUnit;

/**
 * Where connections meet sessions: open or resume one on CONNECT (taking it over from another
 * connection on another event loop if need be), and decide what happens when a connection ends —
 * the will, with its delay, and the session's expiry (5.0 sections 3.1.2.4, 3.1.3.2.2, 4.1).
 */
final class SessionLifecycle {
    /** Session Expiry Interval meaning "never" [MQTT 5.0 3.1.2.11.2]. */
    static final long NEVER_EXPIRES = 0xFFFFFFFFL;

    private SessionLifecycle() {
    }

    /**
     * Claims the client id for a CONNECT (one atomic step in the registry), takes the session over from
     * whichever link holds it, on the session's owner, then completes CONNECT on the connection's loop.
     * A claim that a later CONNECT overtook before it attached ends its connection as taken over.
     */
    static void open(ClientConnection c, Properties.Builder ackProps) {
        BrokerContext ctx = c.ctx;
        EventExecutor me = c.channel.executor();
        SessionRegistry.Claim claim = ctx.sessions().claim(c.clientId, me);
        Session s = claim.session();
        c.claimNumber = claim.number();
        if (claim.created()) {
            // Made by this claim on this loop: nobody else can have attached to it yet.
            ConnectHandler.sessionReady(c, s, false, ackProps);
            return;
        }
        s.execute(() -> {
            if (!claim.isLatest()) {
                overtaken(c);
                return;
            }
            // Whatever kind of link holds it (a connection, a local client, later a bridge) is told.
            SessionLink old = s.link();
            if (old != null) {
                s.detach(old);
                old.takenOver();
            }
            boolean present = !c.cleanStart;
            if (c.cleanStart) {
                publishWill(ctx, s.takePendingWill());
                ctx.sessions().clear(s);
            } else {
                s.cancelWill();
            }
            s.moveTo(me);
            me.execute(() -> {
                if (!claim.isLatest()) {
                    overtaken(c);
                } else {
                    ConnectHandler.sessionReady(c, s, present, ackProps);
                }
            });
        });
    }

    /**
     * Whether a CONNECT asking for a new persistent session for {@code clientId} must be refused: the
     * sessions kept for clients not connected have reached max_offline_sessions. Resuming one's own
     * session is always allowed. Any thread; the count is a moment's reading, which a budget may be.
     */
    static boolean offlineSessionsFull(BrokerContext ctx, String clientId) {
        long max = ctx.settings().maxOfflineSessions();
        if (max <= 0 || ctx.sessions().get(clientId) != null) {
            return false;
        }
        long offline = (long) ctx.sessions().size() - ctx.stats().clientsConnected();
        if (offline < max) {
            return false;
        }
        ctx.stats().sessionRefused();
        return true;
    }

    /** A later CONNECT with the same client id claimed the session before this one attached. */
    private static void overtaken(ClientConnection c) {
        c.channel.executor().execute(c::takenOver);
    }

    /** The connection holding {@code s} is gone; {@code will} is null when it must not be sent. */
    static void connectionEnded(ClientConnection c, Session s, Will will) {
        BrokerContext ctx = c.ctx;
        long expiry = c.sessionExpiry;
        Message willMessage = will == null ? null : toMessage(c, will);
        if (willMessage != null && !ctx.authorizer().canPublish(c.identity, will.topic())) {
            ClientConnection.LOG.info("Denied will PUBLISH from {} to '{}'.", c.clientId,
                    ClientText.forLog(will.topic()));
            willMessage = null;
        }
        long claimNumber = c.claimNumber;
        if (expiry == 0) {
            endSession(ctx, s, claimNumber);
            publishWill(ctx, willMessage);
            return;
        }
        if (willMessage != null) {
            long delay = will.properties().willDelayInterval() == null ? 0 : will.properties().willDelayInterval();
            if (delay == 0) {
                publishWill(ctx, willMessage);
            } else {
                // Published after the delay or when the session ends, whichever is first [MQTT-3.1.3-9].
                long wait = Math.min(delay, expiry);
                willLater(ctx, s, willMessage, TimeUnit.SECONDS.toMillis(wait));
            }
        }
        s.detachedFor(expiry, ctx.clock().getAsLong());
        if (expiry != NEVER_EXPIRES) {
            expireLater(ctx, s, claimNumber, TimeUnit.SECONDS.toMillis(expiry));
        }
    }

    /** Publishes the session's will after {@code delayMillis}, unless a connection resumes it first. */
    static void willLater(BrokerContext ctx, Session s, Message will, long delayMillis) {
        s.setPendingWill(will, s.owner().schedule(() -> s.execute(() -> publishWill(ctx, s.takePendingWill())),
                delayMillis, TimeUnit.MILLISECONDS), ctx.clock().getAsLong() + delayMillis);
    }

    /** Ends the offline session after {@code delayMillis}, unless a connection claims it first. */
    static void expireLater(BrokerContext ctx, Session s, long claimNumber, long delayMillis) {
        s.setExpiryTask(s.owner().schedule(() -> s.execute(() -> {
            if (!s.isOnline() && !s.isEnded()) {
                endSession(ctx, s, claimNumber);
            }
        }), delayMillis, TimeUnit.MILLISECONDS));
    }

    /**
     * Ends a session, sending its pending delayed will first if it has one, unless a connection claimed
     * it after {@code claimNumber} (then that connection has it now).
     */
    static void endSession(BrokerContext ctx, Session s, long claimNumber) {
        if (s.claimNumber() != claimNumber) {
            return;
        }
        Message pending = s.takePendingWill();
        if (ctx.sessions().end(s, claimNumber)) {
            publishWill(ctx, pending);
        }
    }

    static void publishWill(BrokerContext ctx, Message will) {
        if (will != null) {
            ctx.publisher().publish(will);
        }
    }

    private static Message toMessage(ClientConnection c, Will will) {
        Properties wp = will.properties();
        long expiresAt = Message.NEVER;
        Properties passThrough = Properties.NONE;
        if (c.version == MqttVersion.V5) {
            if (wp.messageExpiryInterval() != null) {
                expiresAt = c.ctx.clock().getAsLong() + wp.messageExpiryInterval() * 1000L;
            }
            passThrough = wp.toBuilder().willDelayInterval(null).messageExpiryInterval(null).build();
        }
        return new Message(will.topic(), will.payload(), will.qos(), will.retain(), passThrough, expiresAt,
                c.clientId);
    }
}
