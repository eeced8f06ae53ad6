package io.vane.broker.routing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The members of one shared subscription {@code $share/group/filter} (5.0 section 4.8.2). Each
 * message goes to one member: the next online one in turn, else the next in turn.
 */
public final class SharedGroup implements Route {
    private final String group;
    private final String filter;
    private final CopyOnWriteArrayList<Subscriber> members = new CopyOnWriteArrayList<>();
    private final AtomicInteger cursor = new AtomicInteger();

    SharedGroup(String group, String filter) {
        this.group = group;
        this.filter = filter;
    }

    public String group() {
        return group;
    }

    public String filter() {
        return filter;
    }

    /** Adds or replaces the member with the same client id. */
    void put(Subscriber member) {
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).session().clientId().equals(member.session().clientId())) {
                members.set(i, member);
                return;
            }
        }
        members.add(member);
    }

    /** Removes the member; returns true when the group is now empty. */
    boolean remove(String clientId) {
        members.removeIf(m -> m.session().clientId().equals(clientId));
        return members.isEmpty();
    }

    List<Subscriber> members() {
        return members;
    }

    /** The member the next message goes to, or null when the group is empty. */
    Subscriber pick() {
        Object[] snapshot = members.toArray();
        int n = snapshot.length;
        if (n == 0) {
            return null;
        }
        int start = Math.floorMod(cursor.getAndIncrement(), n);
        for (int i = 0; i < n; i++) {
            Subscriber s = (Subscriber) snapshot[(start + i) % n];
            if (s.session().isOnline()) {
                return s;
            }
        }
        return (Subscriber) snapshot[start];
    }
}
