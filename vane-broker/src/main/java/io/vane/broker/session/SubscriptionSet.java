package io.vane.broker.session;

import io.vane.broker.persistence.SessionJournal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A session's subscriptions by filter; owner thread only. Every change is journaled. */
final class SubscriptionSet {
    private final Session session;
    private final SessionJournal journal;
    private final Map<String, SubscriptionRecord> byFilter = new HashMap<>();

    SubscriptionSet(Session session, SessionJournal journal) {
        this.session = session;
        this.journal = journal;
    }

    /** Adds or replaces the subscription for its filter; returns the one replaced, or null. */
    SubscriptionRecord put(SubscriptionRecord record) {
        SubscriptionRecord previous = byFilter.put(record.filter(), record);
        journal.subscribed(session, record);
        return previous;
    }

    /** Puts back a subscription the store kept (start-up), not journaled again. */
    void restore(SubscriptionRecord record) {
        byFilter.put(record.filter(), record);
    }

    SubscriptionRecord remove(String filter) {
        SubscriptionRecord removed = byFilter.remove(filter);
        if (removed != null) {
            journal.unsubscribed(session, filter);
        }
        return removed;
    }

    List<SubscriptionRecord> all() {
        return new ArrayList<>(byFilter.values());
    }

    int size() {
        return byFilter.size();
    }

    /** Forgets every subscription (the caller journals the clear); returns them for unrouting. */
    List<SubscriptionRecord> clear() {
        List<SubscriptionRecord> all = all();
        byFilter.clear();
        return all;
    }
}
