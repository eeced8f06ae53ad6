package io.vane.store;

import io.vane.broker.Message;
import io.vane.broker.delivery.Outgoing;
import io.vane.broker.persistence.Persistence;
import io.vane.broker.persistence.SessionJournal;
import io.vane.broker.persistence.StoredSession;
import io.vane.broker.session.Session;
import io.vane.broker.session.SubscriptionRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retained messages and persistent sessions in one SQLite database (docs/decisions/0007): WAL mode with
 * {@code synchronous=FULL}, so a committed transaction survives a power cut.
 *
 * <p>Threading: the broker's threads hand over changes ({@link Change}s, encoded on the caller's thread)
 * in one ordered list under a short lock; one writer thread takes everything pending, applies it in one
 * transaction and commits (group commit: one sync however many changes arrived meanwhile), then
 * completes the {@link #flushed()} stages it covers. Nothing here blocks an event loop. A failed commit
 * (disk full, read-only) fails the stages waiting for it, so nothing is acknowledged, and is tried
 * again until it succeeds; meanwhile changes wait in memory.
 *
 * <p>Only sessions that outlive their connection ({@link Session#isPersistent()}) are written.
 */
public final class SqliteStore implements Persistence, SessionJournal {
    private static final Logger LOG = LoggerFactory.getLogger("vane.store");
    static final int SCHEMA_VERSION = 1;
    private static final long RETRY_MILLIS = 1_000;
    private static final long FAILURE_LOG_INTERVAL_NANOS = 60_000_000_000L;
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Path file;
    private final Connection db;
    /** The writer's statements; made anew after a failed commit, which can leave them unusable. */
    private Statements sql;
    /** Guards the connection: the writer, counts() and close(). */
    private final Object dbLock = new Object();
    private final Thread writer;

    private final Object lock = new Object();
    private List<Change> pending = new ArrayList<>();
    /** Changes handed over so far, and how many of them are committed; under {@link #lock}. */
    private long handed;
    private long durable;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private boolean closing;
    private volatile String failure;
    /** What open() read, until recover() hands it over. */
    private Loaded loaded;

    /** Per persistent session, the sequence numbers of its queued records (owner thread only). */
    private final Map<String, QueueRecords> queues = new ConcurrentHashMap<>();
    /** Stamped on each in-flight record; continues after the largest stored one. */
    private final java.util.concurrent.atomic.AtomicLong sendOrder = new java.util.concurrent.atomic.AtomicLong();

    private SqliteStore(Path file, Connection db, Loaded loaded) throws SQLException {
        this.file = file;
        this.db = db;
        this.loaded = loaded;
        sendOrder.set(loaded.maxSent);
        this.sql = new Statements(db);
        this.writer = new Thread(this::writeLoop, "vane-store");
        writer.setDaemon(true);
    }

    /**
     * Opens (or creates) the store at {@code file} and reads everything it holds, for {@link #recover}.
     * A file SQLite cannot read is moved aside with a log line saying so and what was read before the
     * damage; that part is written to a fresh store, which takes its place: Vane starts whatever it finds.
     * There is no separate integrity pass (it would read the whole file once more; 3.9 s for a million
     * retained messages on a cold cache): reading every table is the check.
     */
    public static SqliteStore open(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("persistence_location " + dir + " cannot be created (" + e + "); set"
                    + " persistence_location to a folder this user may write, or persistence false to keep"
                    + " everything in memory", e);
        }
        if (!Files.isWritable(dir)) {
            throw new IOException("persistence_location " + dir + " is not writable by this user ("
                    + System.getProperty("user.name") + "); make it writable or set persistence_location to a"
                    + " folder that is, or set persistence false to keep everything in memory");
        }
        SqliteNative.prepare(dir);
        Loaded loaded = new Loaded();
        Connection db = null;
        try {
            db = connect(file);
            createSchema(db);
            String problem = schemaProblem(db);
            if (problem != null) {
                throw new SQLException(problem);
            }
            load(db, loaded);
            db.rollback();
        } catch (SQLException e) {
            closeQuietly(db);
            setAside(file, e.getMessage(), loaded);
            try {
                db = connect(file);
                createSchema(db);
                salvage(db, loaded);
            } catch (SQLException again) {
                throw new IOException("cannot create the store " + file + ": " + again.getMessage(), again);
            }
        }
        try {
            SqliteStore store = new SqliteStore(file, db, loaded);
            store.writer.start();
            return store;
        } catch (SQLException e) {
            throw new IOException("cannot prepare the store " + file + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(Connection db) {
        if (db != null) {
            try {
                db.close();
            } catch (SQLException ignored) {
                // it is being set aside
            }
        }
    }

    private static Connection connect(Path file) throws SQLException {
        Connection db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement st = db.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
            // FULL: the WAL is synced at every commit, so what is committed survives a power cut.
            st.execute("PRAGMA synchronous=FULL");
            st.execute("PRAGMA cache_size=-2000");
        }
        db.setAutoCommit(false);
        return db;
    }

    /** Null when the schema is the one this Vane writes; else what is wrong. */
    private static String schemaProblem(Connection db) throws SQLException {
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT value FROM meta WHERE key = 'schema'")) {
            if (rs.next() && Integer.parseInt(rs.getString(1)) != SCHEMA_VERSION) {
                return "schema version " + rs.getString(1) + ", this Vane reads " + SCHEMA_VERSION;
            }
        }
        return null;
    }

    /** Moves a damaged store (and its WAL files) aside so a fresh one can start. */
    private static void setAside(Path file, String problem, Loaded before) throws IOException {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path aside = file.resolveSibling(file.getFileName() + ".damaged-" + stamp);
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Path f = file.resolveSibling(file.getFileName() + suffix);
            if (Files.exists(f)) {
                Files.move(f, aside.resolveSibling(aside.getFileName() + suffix), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        LOG.error("The store {} cannot be read ({}): moved aside to {}. Read before the damage, and kept: {}"
                + " retained message{} and {} session{}; whatever came after it in the file is not restored.",
                file, problem, aside, before.retained.size(), before.retained.size() == 1 ? "" : "s",
                before.parts.size(), before.parts.size() == 1 ? "" : "s");
    }

    private static void createSchema(Connection db) throws SQLException {
        try (Statement st = db.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID");
            st.execute("INSERT OR IGNORE INTO meta VALUES ('schema', '" + SCHEMA_VERSION + "')");
            st.execute("CREATE TABLE IF NOT EXISTS retained (topic TEXT PRIMARY KEY, message BLOB NOT NULL)"
                    + " WITHOUT ROWID");
            st.execute("CREATE TABLE IF NOT EXISTS session (client TEXT PRIMARY KEY, expiry INTEGER NOT NULL,"
                    + " disconnected INTEGER NOT NULL) WITHOUT ROWID");
            st.execute("CREATE TABLE IF NOT EXISTS subscription (client TEXT, filter TEXT, record BLOB NOT NULL,"
                    + " PRIMARY KEY (client, filter)) WITHOUT ROWID");
            st.execute("CREATE TABLE IF NOT EXISTS queued (client TEXT, seq INTEGER, message BLOB NOT NULL,"
                    + " PRIMARY KEY (client, seq)) WITHOUT ROWID");
            st.execute("CREATE TABLE IF NOT EXISTS inflight (client TEXT, packet_id INTEGER, message BLOB NOT NULL,"
                    + " released INTEGER NOT NULL, sent INTEGER NOT NULL, PRIMARY KEY (client, packet_id)) WITHOUT ROWID");
            st.execute("CREATE TABLE IF NOT EXISTS inbound_qos2 (client TEXT, packet_id INTEGER,"
                    + " PRIMARY KEY (client, packet_id)) WITHOUT ROWID");
            st.execute("CREATE TABLE IF NOT EXISTS will (client TEXT PRIMARY KEY, message BLOB NOT NULL,"
                    + " at INTEGER NOT NULL) WITHOUT ROWID");
            st.execute("CREATE TABLE IF NOT EXISTS identity (client TEXT PRIMARY KEY, username TEXT,"
                    + " listener INTEGER NOT NULL) WITHOUT ROWID");
        }
        db.commit();
    }

    public Path file() {
        return file;
    }

    /**
     * Imports Mosquitto's {@code mosquitto.db} at {@code mosquittoDb} into this store, once per store (the
     * {@code imported} row of {@code meta} remembers it); call before {@link #recover}. A missing file does
     * nothing; a damaged one is logged and left out. Never throws: Vane starts whatever the file holds.
     */
    public void importMosquitto(Path mosquittoDb) {
        importMosquitto(mosquittoDb, System.currentTimeMillis());
    }

    /** {@link #importMosquitto(Path)} as of {@code nowMillis} (what has expired by then is left out). */
    void importMosquitto(Path mosquittoDb, long nowMillis) {
        synchronized (dbLock) {
            if (MosquittoImport.run(db, mosquittoDb, nowMillis) == MosquittoImport.Outcome.IMPORTED
                    && loaded != null) {
                // open() read the store before the import: read it again so recover() hands over both.
                Loaded again = new Loaded();
                try {
                    load(db, again);
                    db.rollback();
                    loaded = again;
                    sendOrder.set(Math.max(sendOrder.get(), again.maxSent));
                } catch (SQLException e) {
                    LOG.warn("Store: reading the imported state back failed ({}); it is restored at the next start.",
                            e.getMessage());
                }
            }
        }
    }

    /** Why the last commit failed, or null while commits succeed; for $SYS and health. */
    @Override
    public String failure() {
        return failure;
    }

    @Override
    public long pendingChanges() {
        synchronized (lock) {
            return handed - durable;
        }
    }

    @Override
    public long storedBytes() {
        long n = 0;
        for (String suffix : new String[] {"", "-wal"}) {
            try {
                n += Files.size(file.resolveSibling(file.getFileName() + suffix));
            } catch (IOException e) {
                // not there (no WAL after a checkpoint on close)
            }
        }
        return n;
    }

    // ---- Persistence ------------------------------------------------------------------------------

    @Override
    public boolean isDurable() {
        return true;
    }

    @Override
    public SessionJournal sessions() {
        return this;
    }

    @Override
    public void retained(Message message) {
        byte[] record = Records.message(Outgoing.of(message, message.qos(), true));
        String topic = message.topic();
        hand(s -> s.putRetained(topic, record));
    }

    @Override
    public void retainedCleared(String topic) {
        hand(s -> s.deleteRetained(topic));
    }

    @Override
    public CompletionStage<Void> flushed() {
        synchronized (lock) {
            if (durable >= handed) {
                return DONE;
            }
            Waiter last = waiters.peekLast();
            if (last != null && last.upTo == handed) {
                return last.future; // one wait for every caller between two changes
            }
            Waiter w = new Waiter(handed, new CompletableFuture<>());
            waiters.add(w);
            return w.future;
        }
    }

    // ---- SessionJournal ---------------------------------------------------------------------------

    @Override
    public CompletionStage<Void> flushed(Session session) {
        return session.isPersistent() ? flushed() : DONE;
    }

    @Override
    public void keptFor(Session session, long expirySeconds) {
        String client = session.clientId();
        if (expirySeconds == 0) {
            queues.remove(client);
            hand(s -> s.deleteSession(client));
        } else {
            io.vane.broker.auth.ClientIdentity who = session.identity();
            String username = who == null ? null : who.username();
            int listener = who == null ? 0 : who.listenerPort();
            hand(s -> {
                s.putSession(client, expirySeconds, -1);
                s.putIdentity(client, username, listener);
            });
        }
    }

    @Override
    public void detached(Session session, long expirySeconds, long atMillis) {
        if (session.isPersistent()) {
            String client = session.clientId();
            hand(s -> s.putSession(client, expirySeconds, atMillis));
        }
    }

    @Override
    public void subscribed(Session session, SubscriptionRecord subscription) {
        if (session.isPersistent()) {
            String client = session.clientId();
            byte[] record = Records.subscription(subscription);
            hand(s -> s.putSubscription(client, subscription.filter(), record));
        }
    }

    @Override
    public void unsubscribed(Session session, String filter) {
        if (session.isPersistent()) {
            String client = session.clientId();
            hand(s -> s.deleteSubscription(client, filter));
        }
    }

    @Override
    public void queued(Session session, Outgoing message) {
        if (session.isPersistent()) {
            String client = session.clientId();
            long seq = queueOf(client).add(message);
            hand(new Keyed(queuedKey(client, seq), Keyed.PUT, s -> s.putQueued(client, seq, Records.message(message))));
        }
    }

    @Override
    public void dequeued(Session session, Outgoing message) {
        if (session.isPersistent()) {
            String client = session.clientId();
            long seq = queueOf(client).remove(message);
            if (seq >= 0) {
                hand(new Keyed(queuedKey(client, seq), Keyed.DELETE, s -> s.deleteQueued(client, seq)));
            }
        }
    }

    @Override
    public void inflight(Session session, int packetId, Outgoing message) {
        if (session.isPersistent()) {
            String client = session.clientId();
            long order = sendOrder.incrementAndGet();
            hand(new Keyed(inflightKey(client, packetId), Keyed.PUT,
                    s -> s.putInflight(client, packetId, Records.message(message), false, order)));
        }
    }

    @Override
    public void sentFromQueue(Session session, int packetId, Outgoing message) {
        if (session.isPersistent()) {
            String client = session.clientId();
            long seq = queueOf(client).remove(message);
            long order = sendOrder.incrementAndGet();
            Keyed put = new Keyed(inflightKey(client, packetId), Keyed.PUT,
                    s -> s.putInflight(client, packetId, Records.message(message), false, order));
            // Handed together, so one batch and one transaction: the queued record never goes without the
            // in-flight one.
            if (seq >= 0) {
                hand(new Keyed(queuedKey(client, seq), Keyed.DELETE, s -> s.deleteQueued(client, seq)), put);
            } else {
                hand(put);
            }
        }
    }

    @Override
    public void released(Session session, int packetId) {
        if (session.isPersistent()) {
            String client = session.clientId();
            hand(new Keyed(inflightKey(client, packetId), Keyed.UPDATE, s -> s.releaseInflight(client, packetId)));
        }
    }

    @Override
    public void completed(Session session, int packetId) {
        if (session.isPersistent()) {
            String client = session.clientId();
            hand(new Keyed(inflightKey(client, packetId), Keyed.DELETE, s -> s.deleteInflight(client, packetId)));
        }
    }

    @Override
    public void inboundQos2(Session session, int packetId) {
        if (session.isPersistent()) {
            String client = session.clientId();
            hand(s -> s.putInboundQos2(client, packetId));
        }
    }

    @Override
    public void inboundQos2Released(Session session, int packetId) {
        if (session.isPersistent()) {
            String client = session.clientId();
            hand(s -> s.deleteInboundQos2(client, packetId));
        }
    }

    @Override
    public void willPending(Session session, Message will, long publishAtMillis) {
        if (session.isPersistent()) {
            String client = session.clientId();
            hand(s -> s.putWill(client, Records.message(Outgoing.of(will, will.qos(), will.retain())), publishAtMillis));
        }
    }

    @Override
    public void willCleared(Session session) {
        if (session.isPersistent()) {
            String client = session.clientId();
            hand(s -> s.deleteWill(client));
        }
    }

    @Override
    public void cleared(Session session) {
        if (session.isPersistent()) {
            String client = session.clientId();
            queues.remove(client);
            hand(s -> s.clearSession(client));
        }
    }

    @Override
    public void ended(Session session) {
        if (session.isPersistent()) {
            String client = session.clientId();
            queues.remove(client);
            hand(s -> s.deleteSession(client));
        }
    }

    private QueueRecords queueOf(String client) {
        return queues.computeIfAbsent(client, c -> new QueueRecords());
    }

    // ---- recovery ---------------------------------------------------------------------------------

    /**
     * Hands over what open() read: retained messages, then each session with its parts. Rows of a part
     * whose session is gone are deleted. A record that could not be decoded was skipped with a count.
     */
    @Override
    public void recover(Recovery into) {
        Loaded l = loaded;
        loaded = null;
        if (l == null) {
            throw new IllegalStateException("recover() is called once, after open()");
        }
        l.retained.forEach(into::retained);
        l.retained.clear();
        for (Map.Entry<String, SessionParts> e : l.parts.entrySet()) {
            SessionParts p = e.getValue();
            String client = e.getKey();
            QueueRecords q = new QueueRecords();
            for (int i = 0; i < p.queued.size(); i++) {
                q.restore(p.queuedSeqs.get(i), p.queued.get(i));
            }
            queues.put(client, q);
            into.session(new StoredSession(client, p.expiry, p.disconnected, p.subscriptions, p.queued,
                    p.inflight, p.inboundQos2, p.will, p.willAt, p.username, p.listener));
        }
        hand(Statements::deleteOrphans);
        if (l.skipped > 0) {
            LOG.warn("Store: {} record{} could not be read and were left out.", l.skipped, l.skipped == 1 ? "" : "s");
        }
    }

    /** Reads every table into {@code into}, which keeps what was read if a read fails part way. */
    private static void load(Connection db, Loaded into) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("SELECT topic, message FROM retained");
                ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                try {
                    into.retained.add(Records.outgoing(rs.getBytes(2)).message().withRetain(true));
                } catch (RuntimeException e) {
                    into.skipped++;
                    LOG.warn("Store: skipped the retained message of '{}': {}", rs.getString(1), e.getMessage());
                }
            }
        }
        try (PreparedStatement st = db.prepareStatement("SELECT client, expiry, disconnected FROM session");
                ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                into.parts.put(rs.getString(1), new SessionParts(rs.getLong(2), rs.getLong(3)));
            }
        }
        readParts(db, into);
    }

    /** Writes what was read from a damaged file into the fresh one, in one transaction. */
    private static void salvage(Connection db, Loaded loaded) throws SQLException {
        try (Statements st = new Statements(db)) {
            for (Message m : loaded.retained) {
                st.putRetained(m.topic(), Records.message(Outgoing.of(m, m.qos(), true)));
            }
            for (Map.Entry<String, SessionParts> e : loaded.parts.entrySet()) {
                String client = e.getKey();
                SessionParts p = e.getValue();
                st.putSession(client, p.expiry, p.disconnected);
                for (SubscriptionRecord r : p.subscriptions) {
                    st.putSubscription(client, r.filter(), Records.subscription(r));
                }
                for (int i = 0; i < p.queued.size(); i++) {
                    st.putQueued(client, p.queuedSeqs.get(i), Records.message(p.queued.get(i)));
                }
                for (int i = 0; i < p.inflight.size(); i++) {
                    StoredSession.InflightEntry f = p.inflight.get(i);
                    st.putInflight(client, f.packetId(), Records.message(f.outgoing()), f.released(), i + 1L);
                }
                for (int id : p.inboundQos2) {
                    st.putInboundQos2(client, id);
                }
                st.putIdentity(client, p.username, p.listener);
                if (p.will != null) {
                    st.putWill(client, Records.message(Outgoing.of(p.will, p.will.qos(), p.will.retain())), p.willAt);
                }
            }
        }
        db.commit();
    }

    private static void readParts(Connection db, Loaded into) throws SQLException {
        Map<String, SessionParts> parts = into.parts;
        try (PreparedStatement st = db.prepareStatement("SELECT client, record FROM subscription");
                ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                SessionParts p = parts.get(rs.getString(1));
                if (p != null) {
                    try {
                        p.subscriptions.add(Records.subscription(rs.getBytes(2)));
                    } catch (RuntimeException e) {
                        into.skipped++;
                    }
                }
            }
        }
        try (PreparedStatement st = db.prepareStatement("SELECT client, seq, message FROM queued ORDER BY client, seq");
                ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                SessionParts p = parts.get(rs.getString(1));
                if (p != null) {
                    try {
                        p.queued.add(Records.outgoing(rs.getBytes(3)));
                        p.queuedSeqs.add(rs.getLong(2));
                    } catch (RuntimeException e) {
                        into.skipped++;
                    }
                }
            }
        }
        try (PreparedStatement st = db.prepareStatement(
                "SELECT client, packet_id, message, released, sent FROM inflight ORDER BY client, sent");
                ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                SessionParts p = parts.get(rs.getString(1));
                if (p != null) {
                    try {
                        p.inflight.add(new StoredSession.InflightEntry(rs.getInt(2), Records.outgoing(rs.getBytes(3)),
                                rs.getInt(4) != 0));
                        into.maxSent = Math.max(into.maxSent, rs.getLong(5));
                    } catch (RuntimeException e) {
                        into.skipped++;
                    }
                }
            }
        }
        try (PreparedStatement st = db.prepareStatement("SELECT client, packet_id FROM inbound_qos2");
                ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                SessionParts p = parts.get(rs.getString(1));
                if (p != null) {
                    p.inboundQos2.add(rs.getInt(2));
                }
            }
        }
        try (PreparedStatement st = db.prepareStatement("SELECT client, username, listener FROM identity");
                ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                SessionParts p = parts.get(rs.getString(1));
                if (p != null) {
                    p.username = rs.getString(2);
                    p.listener = rs.getInt(3);
                }
            }
        }
        try (PreparedStatement st = db.prepareStatement("SELECT client, message, at FROM will");
                ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                SessionParts p = parts.get(rs.getString(1));
                if (p != null) {
                    try {
                        p.will = Records.outgoing(rs.getBytes(2)).message();
                        p.willAt = rs.getLong(3);
                    } catch (RuntimeException e) {
                        into.skipped++;
                    }
                }
            }
        }
    }

    /** What is stored now, for $SYS and the start-up line; reads on the caller's thread. */
    public long[] counts() {
        long[] n = new long[2];
        synchronized (dbLock) {
            try (Statement st = db.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM retained")) {
                    n[0] = rs.next() ? rs.getLong(1) : 0;
                }
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM session")) {
                    n[1] = rs.next() ? rs.getLong(1) : 0;
                }
                db.rollback();
            } catch (SQLException e) {
                LOG.debug("Store: cannot count records: {}", e.getMessage());
            }
        }
        return n;
    }

    /** Caps the file at {@code pages} pages: SQLite then fails writes as on a full disk (tests only). */
    void limitPagesForTest(int pages) throws SQLException {
        synchronized (dbLock) {
            try (Statement st = db.createStatement()) {
                st.execute("PRAGMA max_page_count=" + pages);
            }
        }
    }

    // ---- the writer -------------------------------------------------------------------------------

    /** One change, applied by the writer inside a transaction. */
    @FunctionalInterface
    interface Change {
        void apply(Statements s) throws SQLException;
    }

    private void hand(Change... changes) {
        synchronized (lock) {
            if (closing) {
                LOG.debug("Store: a change arrived after close; not written.");
                return;
            }
            boolean wasEmpty = pending.isEmpty();
            for (Change c : changes) {
                pending.add(c);
            }
            handed++;
            if (wasEmpty) {
                lock.notifyAll();
            }
        }
    }

    private static RecordKey queuedKey(String client, long seq) {
        return new RecordKey(false, client, seq);
    }

    private static RecordKey inflightKey(String client, int packetId) {
        return new RecordKey(true, client, packetId);
    }

    /** A queued (sequence number) or in-flight (packet id) record of one client. */
    record RecordKey(boolean inflight, String client, long id) {
    }

    /**
     * A change to one record of the queued or in-flight tables. Such a record is put when its key is free
     * (a sequence number is never reused; a packet id only once its earlier record was deleted), so a put
     * and a later delete of the same key in one batch cancel out: a QoS 1 message acknowledged by its
     * subscriber while the previous batch was syncing is never written at all, nor encoded.
     */
    static final class Keyed implements Change {
        static final int PUT = 0;
        static final int DELETE = 1;
        /** Changes a record in place (PUBREC's "released"): it neither starts nor ends a pair. */
        static final int UPDATE = 2;
        final Object key;
        final int kind;
        final Change body;

        Keyed(Object key, int kind, Change body) {
            this.key = key;
            this.kind = kind;
            this.body = body;
        }

        @Override
        public void apply(Statements s) throws SQLException {
            body.apply(s);
        }
    }

    /**
     * Marks the put/delete pairs of one key in {@code batch} (see {@link Keyed}); any other kind of
     * change ends every open pair, as it may touch the same rows (Clean Start, a session's end).
     */
    static boolean[] cancelledPairs(List<Change> batch) {
        boolean[] skip = new boolean[batch.size()];
        Map<Object, Integer> openPuts = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            Change c = batch.get(i);
            if (!(c instanceof Keyed k)) {
                openPuts.clear();
            } else if (k.kind == Keyed.PUT) {
                openPuts.put(k.key, i);
            } else if (k.kind == Keyed.DELETE) {
                Integer put = openPuts.remove(k.key);
                if (put != null) {
                    skip[put] = true;
                    skip[i] = true;
                }
            }
        }
        return skip;
    }

    /** Told of every committed batch; for /metrics. Called on the writer thread, so it must be quick. */
    public interface CommitObserver {
        /** A batch of {@code changes} was committed (and, synchronous=FULL, synced) in {@code nanos}. */
        void committed(int changes, long nanos);
    }

    private volatile CommitObserver commitObserver = (changes, nanos) -> { };

    /** Who hears of each commit from now on. */
    public void observeCommits(CommitObserver observer) {
        this.commitObserver = java.util.Objects.requireNonNull(observer);
    }

    private void writeLoop() {
        List<Change> batch = new ArrayList<>();
        long upTo = 0;
        long lastFailureLog = 0;
        while (true) {
            synchronized (lock) {
                while (pending.isEmpty() && batch.isEmpty() && !closing) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        closing = true;
                    }
                }
                if (pending.isEmpty() && batch.isEmpty() && closing) {
                    return;
                }
                batch.addAll(pending);
                pending = new ArrayList<>();
                upTo = handed;
            }
            long commitStart = System.nanoTime();
            String error = commit(batch);
            if (error == null) {
                commitObserver.committed(batch.size(), System.nanoTime() - commitStart);
                batch.clear();
                if (failure != null) {
                    LOG.warn("Store: writing to {} works again; acknowledgements resume.", file);
                    failure = null;
                }
                complete(upTo, null);
                continue;
            }
            failure = error;
            long now = System.nanoTime();
            if (lastFailureLog == 0 || now - lastFailureLog >= FAILURE_LOG_INTERVAL_NANOS) {
                lastFailureLog = now;
                LOG.error("Store: cannot write to {} ({}): QoS 1/2 messages are not acknowledged until it"
                        + " works again; retrying every second.", file, error);
            }
            complete(upTo, new IOException("the store cannot write: " + error));
            synchronized (lock) {
                if (closing) {
                    LOG.error("Store: closing with {} change{} not written ({}).", batch.size(),
                            batch.size() == 1 ? "" : "s", error);
                    return;
                }
                try {
                    lock.wait(RETRY_MILLIS);
                } catch (InterruptedException e) {
                    closing = true;
                }
            }
        }
    }

    /** Applies and commits the batch; returns null, or why it failed (rolled back). */
    private String commit(List<Change> batch) {
        synchronized (dbLock) {
            try {
                boolean[] skip = cancelledPairs(batch);
                for (int i = 0; i < batch.size(); i++) {
                    if (!skip[i]) {
                        batch.get(i).apply(sql);
                    }
                }
                db.commit();
                return null;
            } catch (SQLException | RuntimeException e) {
                try {
                    db.rollback(); // SQLite may have rolled back already (SQLITE_FULL does)
                } catch (SQLException ignored) {
                    // nothing to roll back
                }
                try {
                    // The driver opens its next transaction on this switch, whatever SQLite rolled back itself.
                    db.setAutoCommit(true);
                } catch (SQLException nothingToCommit) {
                    // the switch still happened
                }
                try {
                    db.setAutoCommit(false);
                    sql.close();
                    sql = new Statements(db);
                } catch (SQLException broken) {
                    LOG.debug("Store: cannot prepare statements again: {}", broken.getMessage());
                }
                return e.getMessage();
            }
        }
    }

    /** Completes (or fails) every waiter covered by {@code upTo}. */
    private void complete(long upTo, Throwable error) {
        List<Waiter> ready = new ArrayList<>();
        synchronized (lock) {
            if (error == null) {
                durable = upTo;
            }
            while (!waiters.isEmpty() && waiters.peek().upTo <= upTo) {
                ready.add(waiters.poll());
            }
        }
        for (Waiter w : ready) {
            if (error == null) {
                w.future.complete(null);
            } else {
                w.future.completeExceptionally(error);
            }
        }
    }

    /** Writes what was handed over, stops the writer and closes the database. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closing) {
                return;
            }
            closing = true;
            lock.notifyAll();
        }
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (dbLock) {
            try {
                sql.close();
                db.close();
            } catch (SQLException e) {
                LOG.warn("Store: closing {}: {}", file, e.getMessage());
            }
        }
    }

    private record Waiter(long upTo, CompletableFuture<Void> future) {
    }

    /** A persistent session's queued records in queue order: which sequence number each message has. */
    private static final class QueueRecords {
        private final ArrayDeque<Object[]> entries = new ArrayDeque<>();
        private long next;

        long add(Outgoing out) {
            long seq = next++;
            entries.add(new Object[] {seq, out});
            return seq;
        }

        void restore(long seq, Outgoing out) {
            entries.add(new Object[] {seq, out});
            next = Math.max(next, seq + 1);
        }

        /** The record of {@code out} (nearly always the head), or -1. */
        long remove(Outgoing out) {
            Object[] head = entries.peek();
            if (head != null && head[1] == out) {
                entries.poll();
                return (Long) head[0];
            }
            for (Iterator<Object[]> it = entries.iterator(); it.hasNext(); ) {
                Object[] e = it.next();
                if (e[1] == out) {
                    it.remove();
                    return (Long) e[0];
                }
            }
            return -1;
        }
    }

    /** Everything read from the file at open, in the order of its tables. */
    private static final class Loaded {
        final List<Message> retained = new ArrayList<>();
        final Map<String, SessionParts> parts = new java.util.LinkedHashMap<>();
        long skipped;
        long maxSent;
    }

    private static final class SessionParts {
        final long expiry;
        final long disconnected;
        final List<SubscriptionRecord> subscriptions = new ArrayList<>();
        final List<Outgoing> queued = new ArrayList<>();
        final List<Long> queuedSeqs = new ArrayList<>();
        final List<StoredSession.InflightEntry> inflight = new ArrayList<>();
        final List<Integer> inboundQos2 = new ArrayList<>();
        Message will;
        long willAt;
        String username;
        int listener;

        SessionParts(long expiry, long disconnected) {
            this.expiry = expiry;
            this.disconnected = disconnected;
        }
    }
}
