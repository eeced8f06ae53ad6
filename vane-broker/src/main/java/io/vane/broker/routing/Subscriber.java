package io.vane.broker.routing;

import io.vane.broker.session.Session;
import io.vane.broker.session.SubscriptionRecord;

/** A session's non-shared subscription, stored in the trie under (filter, client id). */
public record Subscriber(Session session, SubscriptionRecord subscription) implements Route {
}
