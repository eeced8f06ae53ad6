package io.vane.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/** The store's prepared statements, one per change; used by the writer thread only. */
final class Statements implements AutoCloseable {
    private final Connection db;
    private final PreparedStatement putRetained;
    private final PreparedStatement deleteRetained;
    private final PreparedStatement putSession;
    private final PreparedStatement putSubscription;
    private final PreparedStatement deleteSubscription;
    private final PreparedStatement putQueued;
    private final PreparedStatement deleteQueued;
    private final PreparedStatement putInflight;
    private final PreparedStatement releaseInflight;
    private final PreparedStatement deleteInflight;
    private final PreparedStatement putInboundQos2;
    private final PreparedStatement deleteInboundQos2;
    private final PreparedStatement[] clearSession;
    private final PreparedStatement deleteSession;
    private final PreparedStatement putWill;
    private final PreparedStatement putIdentity;

    Statements(Connection db) throws SQLException {
        this.db = db;
        putRetained = db.prepareStatement("INSERT OR REPLACE INTO retained VALUES (?, ?)");
        deleteRetained = db.prepareStatement("DELETE FROM retained WHERE topic = ?");
        putSession = db.prepareStatement("INSERT OR REPLACE INTO session VALUES (?, ?, ?)");
        putSubscription = db.prepareStatement("INSERT OR REPLACE INTO subscription VALUES (?, ?, ?)");
        deleteSubscription = db.prepareStatement("DELETE FROM subscription WHERE client = ? AND filter = ?");
        putQueued = db.prepareStatement("INSERT OR REPLACE INTO queued VALUES (?, ?, ?)");
        deleteQueued = db.prepareStatement("DELETE FROM queued WHERE client = ? AND seq = ?");
        putInflight = db.prepareStatement("INSERT OR REPLACE INTO inflight VALUES (?, ?, ?, ?, ?)");
        releaseInflight = db.prepareStatement("UPDATE inflight SET released = 1 WHERE client = ? AND packet_id = ?");
        deleteInflight = db.prepareStatement("DELETE FROM inflight WHERE client = ? AND packet_id = ?");
        putInboundQos2 = db.prepareStatement("INSERT OR REPLACE INTO inbound_qos2 VALUES (?, ?)");
        deleteInboundQos2 = db.prepareStatement("DELETE FROM inbound_qos2 WHERE client = ? AND packet_id = ?");
        clearSession = new PreparedStatement[] {
            db.prepareStatement("DELETE FROM subscription WHERE client = ?"),
            db.prepareStatement("DELETE FROM queued WHERE client = ?"),
            db.prepareStatement("DELETE FROM inflight WHERE client = ?"),
            db.prepareStatement("DELETE FROM inbound_qos2 WHERE client = ?"),
            db.prepareStatement("DELETE FROM will WHERE client = ?"),
        };
        putWill = db.prepareStatement("INSERT OR REPLACE INTO will VALUES (?, ?, ?)");
        putIdentity = db.prepareStatement("INSERT OR REPLACE INTO identity VALUES (?, ?, ?)");
        deleteSession = db.prepareStatement("DELETE FROM session WHERE client = ?");
    }

    void putRetained(String topic, byte[] message) throws SQLException {
        putRetained.setString(1, topic);
        putRetained.setBytes(2, message);
        putRetained.executeUpdate();
    }

    void deleteRetained(String topic) throws SQLException {
        deleteRetained.setString(1, topic);
        deleteRetained.executeUpdate();
    }

    void putSession(String client, long expirySeconds, long disconnectedAt) throws SQLException {
        putSession.setString(1, client);
        putSession.setLong(2, expirySeconds);
        putSession.setLong(3, disconnectedAt);
        putSession.executeUpdate();
    }

    void putSubscription(String client, String filter, byte[] record) throws SQLException {
        putSubscription.setString(1, client);
        putSubscription.setString(2, filter);
        putSubscription.setBytes(3, record);
        putSubscription.executeUpdate();
    }

    void deleteSubscription(String client, String filter) throws SQLException {
        deleteSubscription.setString(1, client);
        deleteSubscription.setString(2, filter);
        deleteSubscription.executeUpdate();
    }

    void putQueued(String client, long seq, byte[] message) throws SQLException {
        putQueued.setString(1, client);
        putQueued.setLong(2, seq);
        putQueued.setBytes(3, message);
        putQueued.executeUpdate();
    }

    void deleteQueued(String client, long seq) throws SQLException {
        deleteQueued.setString(1, client);
        deleteQueued.setLong(2, seq);
        deleteQueued.executeUpdate();
    }

    /** {@code order}: when it was sent, so a restart resends in send order even after ids wrapped. */
    void putInflight(String client, int packetId, byte[] message, boolean released, long order) throws SQLException {
        putInflight.setString(1, client);
        putInflight.setInt(2, packetId);
        putInflight.setBytes(3, message);
        putInflight.setInt(4, released ? 1 : 0);
        putInflight.setLong(5, order);
        putInflight.executeUpdate();
    }

    void releaseInflight(String client, int packetId) throws SQLException {
        releaseInflight.setString(1, client);
        releaseInflight.setInt(2, packetId);
        releaseInflight.executeUpdate();
    }

    void deleteInflight(String client, int packetId) throws SQLException {
        deleteInflight.setString(1, client);
        deleteInflight.setInt(2, packetId);
        deleteInflight.executeUpdate();
    }

    void putInboundQos2(String client, int packetId) throws SQLException {
        putInboundQos2.setString(1, client);
        putInboundQos2.setInt(2, packetId);
        putInboundQos2.executeUpdate();
    }

    void deleteInboundQos2(String client, int packetId) throws SQLException {
        deleteInboundQos2.setString(1, client);
        deleteInboundQos2.setInt(2, packetId);
        deleteInboundQos2.executeUpdate();
    }

    void putWill(String client, byte[] message, long atMillis) throws SQLException {
        putWill.setString(1, client);
        putWill.setBytes(2, message);
        putWill.setLong(3, atMillis);
        putWill.executeUpdate();
    }

    void deleteWill(String client) throws SQLException {
        clearSession[4].setString(1, client);
        clearSession[4].executeUpdate();
    }

    /** Everything of the session but its own row (Clean Start keeps the session, empty). */
    void clearSession(String client) throws SQLException {
        for (PreparedStatement st : clearSession) {
            st.setString(1, client);
            st.executeUpdate();
        }
    }

    /** Who the session's client is: its deliveries are authorized for that user after a restart. */
    void putIdentity(String client, String username, int listenerPort) throws SQLException {
        putIdentity.setString(1, client);
        putIdentity.setString(2, username);
        putIdentity.setInt(3, listenerPort);
        putIdentity.executeUpdate();
    }

    void deleteSession(String client) throws SQLException {
        clearSession(client);
        try (PreparedStatement st = db.prepareStatement("DELETE FROM identity WHERE client = ?")) {
            st.setString(1, client);
            st.executeUpdate();
        }
        deleteSession.setString(1, client);
        deleteSession.executeUpdate();
    }

    /** Parts whose session row is gone. */
    void deleteOrphans() throws SQLException {
        try (Statement st = db.createStatement()) {
            for (String table : new String[] {"subscription", "queued", "inflight", "inbound_qos2", "will",
                "identity"}) {
                st.executeUpdate("DELETE FROM " + table + " WHERE client NOT IN (SELECT client FROM session)");
            }
        }
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement st : new PreparedStatement[] {putRetained, deleteRetained, putSession, putSubscription,
            deleteSubscription, putQueued, deleteQueued, putInflight, releaseInflight, deleteInflight, putInboundQos2,
            deleteInboundQos2, deleteSession, putWill, putIdentity}) {
            st.close();
        }
        for (PreparedStatement st : clearSession) {
            st.close();
        }
    }
}
