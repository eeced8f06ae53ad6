package io.vane.broker.session;

import io.vane.broker.delivery.Outgoing;
import io.vane.broker.persistence.SessionJournal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Outbound QoS 1/2 messages sent and not yet completed, by packet id in the order they were sent, and
 * the packet ids they use. Owner thread only; every change is journaled. Its size is bounded by the
 * client's Receive Maximum, which the session checks before it sends.
 */
final class InflightWindow {
    private final Session session;
    private final SessionJournal journal;
    private final LinkedHashMap<Integer, Inflight> byId = new LinkedHashMap<>();
    private int lastPacketId;

    InflightWindow(Session session, SessionJournal journal) {
        this.session = session;
        this.journal = journal;
    }

    /** The next free packet id, 1-65,535; ids in use are those in flight [MQTT-2.2.1-3]. */
    int nextPacketId() {
        do {
            lastPacketId = lastPacketId == 65535 ? 1 : lastPacketId + 1;
        } while (byId.containsKey(lastPacketId));
        return lastPacketId;
    }

    /** Records a message just sent with {@code packetId}; {@code fromQueue} when it was the queue's head. */
    void sent(Outgoing out, int packetId, boolean fromQueue) {
        byId.put(packetId, new Inflight(out, packetId, false));
        if (fromQueue) {
            journal.sentFromQueue(session, packetId, out);
        } else {
            journal.inflight(session, packetId, out);
        }
    }

    /** Puts back a flow the store kept (start-up), not journaled again; ids continue after it. */
    void restore(Outgoing out, int packetId, boolean released) {
        byId.put(packetId, new Inflight(out, packetId, released));
        lastPacketId = packetId;
    }

    Inflight get(int packetId) {
        return byId.get(packetId);
    }

    /** PUBREC arrived: the message is the client's, PUBREL follows. */
    void release(int packetId) {
        Inflight f = byId.get(packetId);
        if (f != null && !f.released()) {
            byId.put(packetId, f.asReleased());
            journal.released(session, packetId);
        }
    }

    /** Ends the flow of {@code packetId}; false when it was not in flight. */
    boolean complete(int packetId) {
        if (byId.remove(packetId) == null) {
            return false;
        }
        journal.completed(session, packetId);
        return true;
    }

    /** A copy in send order, so resending may complete entries while iterating. */
    List<Inflight> inOrder() {
        return new ArrayList<>(byId.values());
    }

    int size() {
        return byId.size();
    }

    /** Forgets every flow (the caller journals the clear). Packet ids restart after the last used. */
    void clear() {
        byId.clear();
    }
}
