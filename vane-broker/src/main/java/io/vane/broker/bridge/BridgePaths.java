package io.vane.broker.bridge;

import io.vane.broker.Message;
import io.vane.broker.routing.Router;
import io.vane.protocol.Properties;
import io.vane.protocol.UserProperty;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Loop and duplicate detection for messages that cross bridges (mosquitto #3011). No Local stops the
 * echo between two brokers; among three or more bridged with {@code both} a message can come back, or
 * reach a broker by two routes. So a message that leaves a broker for a bridge carries, in the 5.0 User
 * Property {@value #VIA}, its origin ({@code broker id:message key}) and the brokers it has passed; a
 * broker takes it only if it is not on that path and has not taken the same origin before.
 *
 * <p>3.x bridges have no properties: a ring of 3.x bridges is not protected (docs/bridges.md says so).
 * Broker ids are new at each start, and the set of origins seen is bounded, so a message that waited in a
 * queue across a restart may arrive twice on a second route; {@link #MAX_HOPS} ends any path that long.
 *
 * <p>Threading: any thread; the set of origins, and routing a message with a path, are guarded by one lock.
 */
public final class BridgePaths {
    /** The User Property: {@code origin,broker,broker...}, the origin as {@code brokerId:key}. */
    public static final String VIA = "vane-via";
    /** The 5.0 CONNECT User Property by which a Vane bridge says it is one. */
    public static final String BRIDGE_MARK = "vane-bridge";
    /** A message that has crossed this many brokers is dropped even with no loop seen. */
    static final int MAX_HOPS = 16;
    /** Origins remembered, oldest forgotten first: minutes of bridged traffic at thousands a second. */
    static final int REMEMBERED = 1 << 18;

    private final String brokerId;
    private final Map<String, Boolean> seen = new LinkedHashMap<>(1024, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    public BridgePaths(String brokerId) {
        this.brokerId = brokerId;
    }

    /** A broker id for this start: random, short. */
    public static BridgePaths random() {
        return new BridgePaths(Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong()
                & Long.MAX_VALUE, 36));
    }

    public String brokerId() {
        return brokerId;
    }

    /**
     * Whether a message arriving with these properties may be routed here: false when its path names this
     * broker, is implausibly long, or its origin was taken already by another route.
     */
    public boolean admit(Properties props) {
        String via = via(props);
        if (via == null) {
            return true;
        }
        synchronized (seen) {
            return admitPath(via);
        }
    }

    /**
     * {@code route}'s result, or null when the message has passed here already ({@link #admit}). A message
     * with a path is admitted and routed under one lock: its two routes arrive on two event loops, and
     * admitting apart from routing would let the second route's next message be routed before the first
     * route's copy of an earlier one, out of order for a subscriber (MQTT 4.6 keeps a topic's order); and
     * its deliveries are all queued on their sessions' loops, as another route's would be
     * ({@link Router#inQueueOrder}).
     */
    public <T> T routeOnce(Properties props, Supplier<T> route) {
        String via = via(props);
        if (via == null) {
            return route.get();
        }
        synchronized (seen) {
            return admitPath(via) ? Router.inQueueOrder(route) : null;
        }
    }

    private static String via(Properties props) {
        for (UserProperty u : props.userProperties()) {
            if (u.name().equals(VIA)) {
                return u.value();
            }
        }
        return null;
    }

    /** Called holding {@code seen}. */
    private boolean admitPath(String via) {
        String[] path = via.split(",");
        if (path.length >= MAX_HOPS) {
            return false;
        }
        for (int i = 1; i < path.length; i++) {
            if (path[i].equals(brokerId)) {
                return false;
            }
        }
        if (path[0].startsWith(brokerId + ":")) {
            return false;
        }
        return seen.put(path[0], Boolean.TRUE) == null;
    }

    /**
     * {@code props} of {@code m}, with this broker added to the path; a message starting its way here
     * gets its origin: this broker's id and a key of the message object (every route it takes from here
     * shares the object, so every copy carries the same origin).
     */
    public Properties.Builder stamp(Message m, Properties props) {
        String path = null;
        for (UserProperty u : props.userProperties()) {
            if (u.name().equals(VIA) && !u.value().isEmpty()) {
                path = u.value() + "," + brokerId;
            }
        }
        if (path == null) {
            int content = Arrays.hashCode(m.payload()) * 31 + m.topic().hashCode();
            path = brokerId + ":" + Integer.toHexString(System.identityHashCode(m)) + Integer.toHexString(content);
        }
        return props.toBuilder().removeUserProperties(VIA).addUserProperty(VIA, path);
    }
}
