package io.vane.broker;

import io.vane.broker.routing.Router;
import io.vane.broker.session.Session;
import io.vane.broker.session.SubscriptionRecord;

/**
 * The one place a subscription changes: the session that holds it and the router that matches it are
 * updated together (and, when sessions become durable, the journal with them). Call on the session's
 * owner thread.
 */
public final class Subscriptions {
    private final Router router;

    public Subscriptions(Router router) {
        this.router = router;
    }

    /** Adds or replaces the subscription for its filter; returns the one it replaced, or null. */
    public SubscriptionRecord add(Session session, SubscriptionRecord record) {
        SubscriptionRecord previous = session.putSubscription(record);
        router.subscribe(session, record);
        return previous;
    }

    /** Removes the subscription to {@code filter}; returns it, or null when there was none. */
    public SubscriptionRecord remove(Session session, String filter) {
        SubscriptionRecord removed = session.removeSubscription(filter);
        if (removed != null) {
            router.unsubscribe(session.clientId(), removed);
        }
        return removed;
    }
}
