package io.vane.store;

import io.vane.broker.Message;
import io.vane.broker.delivery.Outgoing;
import io.vane.broker.persistence.StoredSession;
import io.vane.broker.session.SubscriptionRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings Mosquitto's {@code mosquitto.db} into Vane's store once, so a user swapping brokers keeps their
 * retained messages and persistent sessions (docs/decisions/0011). The import is one transaction that also
 * writes the {@code imported} row of {@code meta} (the file, its size and mtime): all of it is in the store,
 * or none of it and the next start tries again. Records already in Vane's store win over the file's.
 * Nothing here stops start-up, and the file itself is only read.
 */
final class MosquittoImport {
    private static final Logger LOG = LoggerFactory.getLogger("vane.store");
    static final String META_KEY = "imported";

    /** What one attempt did, for tests. */
    enum Outcome { NO_FILE, ALREADY, IMPORTED, NOT_IMPORTED }

    private MosquittoImport() {
    }

    /** Imports {@code file} into {@code db} unless this store did so before; the caller holds the connection. */
    static Outcome run(Connection db, Path file, long nowMillis) {
        BasicFileAttributes attrs;
        try {
            if (!Files.isRegularFile(file)) {
                return Outcome.NO_FILE;
            }
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            LOG.warn("Mosquitto's {} cannot be read ({}): not imported; Vane starts without it.", file, e.getMessage());
            return Outcome.NOT_IMPORTED;
        }
        long size = attrs.size();
        long mtime = attrs.lastModifiedTime().toMillis();
        String mark = "file=" + file.toAbsolutePath() + " size=" + size + " mtime=" + mtime;
        try {
            String before = imported(db);
            if (before != null) {
                if (!(before + " ").contains(" size=" + size + " mtime=" + mtime + " ")) {
                    LOG.info("Mosquitto's {} changed since Vane imported it ({}); it is not imported again: Vane's"
                            + " store holds the state now.", file, before);
                }
                return Outcome.ALREADY;
            }
        } catch (SQLException e) {
            LOG.warn("Cannot tell whether {} was imported ({}): not imported; Vane starts without it.", file,
                    e.getMessage());
            return Outcome.NOT_IMPORTED;
        }
        if (size == 0) { // Mosquitto too starts with a warning only: it was stopped before it ever saved
            LOG.info("Mosquitto's {} is empty: nothing to import.", file);
            return Outcome.NOT_IMPORTED;
        }
        MosquittoDb.Contents contents;
        try {
            contents = MosquittoDb.read(map(file, size));
        } catch (MosquittoDb.Damaged e) {
            LOG.warn("Mosquitto's {} is damaged ({}): nothing of it is imported, and Vane starts without it. The file"
                    + " is left as it is.", file, e.getMessage());
            return Outcome.NOT_IMPORTED;
        } catch (IOException e) {
            LOG.warn("Mosquitto's {} cannot be read ({}): not imported; Vane starts without it.", file, e.getMessage());
            return Outcome.NOT_IMPORTED;
        }
        MosquittoState state;
        int[] written;
        try {
            state = MosquittoState.of(contents, nowMillis, mtime);
            written = write(db, state, mark + " at=" + Instant.ofEpochMilli(nowMillis) + " version="
                    + contents.version());
        } catch (SQLException | RuntimeException e) { // a record this code did not foresee must not stop a start
            try {
                db.rollback();
            } catch (SQLException ignored) {
                // already rolled back
            }
            LOG.warn("Mosquitto's {} could not be imported into Vane's store ({}): not imported; Vane starts without"
                    + " it and tries again at the next start.", file, e.toString());
            return Outcome.NOT_IMPORTED;
        }
        String held = state.released == 0 ? "" : "; " + state.released + " inbound QoS 2 message"
                + plural(state.released) + " that Mosquitto held until PUBREL went to the matching sessions now, as"
                + " that PUBREL would have sent them, and the packet ids are kept";
        LOG.info("Imported Mosquitto's {} (format {}, {} bytes): {} retained message{}, {} session{} with {}"
                + " subscription{} and {} queued or in-flight message{}{}. The file is left as it is; it is not"
                + " imported again.", file, contents.version(), size, written[0], plural(written[0]), written[1],
                plural(written[1]), written[2], plural(written[2]), written[3], plural(written[3]), held);
        if (written[4] + written[5] > 0) {
            LOG.warn("Mosquitto import: Vane's store already held {} of the file's retained topics and {} of its"
                    + " sessions; Vane's are kept, the file's are not imported.", written[4], written[5]);
        }
        state.leftOut.forEach((why, n) -> LOG.warn("Mosquitto import: {} {} not imported: {}.", n,
                n == 1 ? "record" : "records", why));
        return Outcome.IMPORTED;
    }

    private static String plural(int n) {
        return n == 1 ? "" : "s";
    }

    /** The file, read-only and not copied onto the heap. */
    private static ByteBuffer map(Path file, long size) throws IOException {
        if (size > Integer.MAX_VALUE) {
            throw new IOException("it is " + size + " bytes, more than Vane reads (2 GiB)");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long actual = ch.size(); // trust the file, not the attributes read a moment earlier
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, Math.min(actual, Integer.MAX_VALUE));
        }
    }

    /** The {@code imported} row, or null. */
    static String imported(Connection db) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            st.setString(1, META_KEY);
            try (ResultSet rs = st.executeQuery()) {
                String v = rs.next() ? rs.getString(1) : null;
                db.rollback();
                return v;
            }
        }
    }

    /** Writes everything and the mark in one transaction; returns retained, sessions, subscriptions, messages, and
     * how many retained topics and sessions Vane's store already had. */
    private static int[] write(Connection db, MosquittoState state, String mark) throws SQLException {
        int[] n = new int[6];
        try (PreparedStatement retained = db.prepareStatement("INSERT OR IGNORE INTO retained VALUES (?, ?)");
                PreparedStatement exists = db.prepareStatement("SELECT 1 FROM session WHERE client = ?");
                PreparedStatement session = db.prepareStatement("INSERT INTO session VALUES (?, ?, ?)");
                PreparedStatement identity = db.prepareStatement("INSERT OR REPLACE INTO identity VALUES (?, ?, ?)");
                PreparedStatement sub = db.prepareStatement("INSERT OR REPLACE INTO subscription VALUES (?, ?, ?)");
                PreparedStatement queued = db.prepareStatement("INSERT INTO queued VALUES (?, ?, ?)");
                PreparedStatement inflight = db.prepareStatement("INSERT INTO inflight VALUES (?, ?, ?, ?, ?)");
                PreparedStatement inbound = db.prepareStatement("INSERT INTO inbound_qos2 VALUES (?, ?)");
                PreparedStatement meta = db.prepareStatement("INSERT OR REPLACE INTO meta VALUES (?, ?)")) {
            for (Message m : state.retained) {
                retained.setString(1, m.topic());
                retained.setBytes(2, Records.message(Outgoing.of(m, m.qos(), true)));
                if (retained.executeUpdate() == 1) {
                    n[0]++;
                } else {
                    n[4]++;
                }
            }
            long order = maxSendOrder(db);
            for (StoredSession s : state.sessions) {
                exists.setString(1, s.clientId());
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        n[5]++;
                        continue;
                    }
                }
                session.setString(1, s.clientId());
                session.setLong(2, s.expirySeconds());
                session.setLong(3, s.disconnectedAtMillis());
                session.executeUpdate();
                identity.setString(1, s.clientId());
                identity.setString(2, s.username());
                identity.setInt(3, s.listenerPort());
                identity.executeUpdate();
                n[1]++;
                for (SubscriptionRecord r : s.subscriptions()) {
                    sub.setString(1, s.clientId());
                    sub.setString(2, r.filter());
                    sub.setBytes(3, Records.subscription(r));
                    sub.executeUpdate();
                    n[2]++;
                }
                long seq = 0;
                for (Outgoing out : s.queued()) {
                    queued.setString(1, s.clientId());
                    queued.setLong(2, seq++);
                    queued.setBytes(3, Records.message(out));
                    queued.executeUpdate();
                    n[3]++;
                }
                for (StoredSession.InflightEntry e : s.inflight()) {
                    inflight.setString(1, s.clientId());
                    inflight.setInt(2, e.packetId());
                    inflight.setBytes(3, Records.message(e.outgoing()));
                    inflight.setInt(4, e.released() ? 1 : 0);
                    inflight.setLong(5, ++order); // Mosquitto's in-flight list is in send order
                    inflight.executeUpdate();
                    n[3]++;
                }
                for (int id : s.inboundQos2()) {
                    inbound.setString(1, s.clientId());
                    inbound.setInt(2, id);
                    inbound.executeUpdate();
                }
            }
            meta.setString(1, META_KEY);
            meta.setString(2, mark);
            meta.executeUpdate();
        }
        db.commit();
        return n;
    }

    private static long maxSendOrder(Connection db) throws SQLException {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT max(sent) FROM inflight")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
