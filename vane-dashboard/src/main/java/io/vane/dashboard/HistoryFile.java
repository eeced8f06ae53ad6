package io.vane.dashboard;

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
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard history on disk ({@value #FILE} in persistence_location, decision 0012): the recent raw
 * points and the downsampled tiers, in SQLite, apart from the message store. History is not
 * acknowledged data, so it is written with {@code synchronous=NORMAL} (a power cut may lose the last
 * batches, never the file) and never shares a connection, file or thread with the message store.
 *
 * <p>Threading: {@link #write} is called by the history writer thread only, on its own connection; the
 * reads are called by HTTP workers and at start-up, on a second connection (WAL: readers do not wait
 * for the writer), serialised by this object's lock.
 */
public final class HistoryFile implements AutoCloseable {
    /** The file's name in persistence_location. */
    public static final String FILE = "vane-history.db";
    private static final Logger LOG = LoggerFactory.getLogger("vane.history");
    private static final int SCHEMA_VERSION = 1;

    private final Path path;
    private final Connection writer;
    private final Connection reader;

    private HistoryFile(Path path, Connection writer, Connection reader) {
        this.path = path;
        this.writer = writer;
        this.reader = reader;
    }

    /**
     * Opens (or creates) the file. One SQLite cannot read, or of another schema, is moved aside as
     * {@code vane-history.db.damaged-<time>} with an ERROR line, and an empty history starts: losing
     * charts is better than not starting. Throws when the folder cannot hold a file at all.
     */
    public static HistoryFile open(Path path) throws IOException {
        try {
            return connect(path);
        } catch (SQLException e) {
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            Path aside = path.resolveSibling(path.getFileName() + ".damaged-" + stamp);
            for (String suffix : List.of("", "-wal", "-shm")) {
                Path f = path.resolveSibling(path.getFileName() + suffix);
                if (Files.exists(f)) {
                    Files.move(f, aside.resolveSibling(aside.getFileName() + suffix), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            LOG.error("The dashboard history {} cannot be read ({}); it was moved to {} and the charts start empty.",
                    path, e.getMessage(), aside);
            try {
                return connect(path);
            } catch (SQLException again) {
                throw new IOException("cannot create " + path + ": " + again.getMessage(), again);
            }
        }
    }

    private static HistoryFile connect(Path path) throws SQLException {
        Connection w = DriverManager.getConnection("jdbc:sqlite:" + path.toAbsolutePath());
        try {
            try (Statement st = w.createStatement()) {
                st.execute("PRAGMA journal_mode=WAL");
                // NORMAL: a commit is not synced (the WAL is at checkpoints), so a power cut can lose the
                // last batches but never corrupts the file. History is not acknowledged data.
                st.execute("PRAGMA synchronous=NORMAL");
                st.execute("PRAGMA cache_size=-1000");
                // The WAL is cut back to 4 MiB after a checkpoint instead of staying at its largest.
                st.execute("PRAGMA journal_size_limit=4194304");
                try (ResultSet rs = st.executeQuery("PRAGMA quick_check")) {
                    if (!rs.next() || !"ok".equals(rs.getString(1))) {
                        throw new SQLException("quick_check: " + (rs.isClosed() ? "no answer" : rs.getString(1)));
                    }
                }
                int version;
                try (ResultSet rs = st.executeQuery("PRAGMA user_version")) {
                    version = rs.next() ? rs.getInt(1) : 0;
                }
                if (version != 0 && version != SCHEMA_VERSION) {
                    throw new SQLException("schema version " + version + ", this Vane reads " + SCHEMA_VERSION);
                }
                st.execute("CREATE TABLE IF NOT EXISTS raw (topic TEXT NOT NULL, t INTEGER NOT NULL,"
                        + " v BLOB NOT NULL, PRIMARY KEY (topic, t)) WITHOUT ROWID");
                st.execute("CREATE TABLE IF NOT EXISTS agg (topic TEXT NOT NULL, step INTEGER NOT NULL,"
                        + " t INTEGER NOT NULL, field TEXT NOT NULL, n INTEGER NOT NULL, sum REAL NOT NULL,"
                        + " lo REAL NOT NULL, hi REAL NOT NULL, PRIMARY KEY (topic, step, t, field)) WITHOUT ROWID");
                st.execute("PRAGMA user_version=" + SCHEMA_VERSION);
            }
            w.setAutoCommit(false);
            Connection r = DriverManager.getConnection("jdbc:sqlite:" + path.toAbsolutePath());
            return new HistoryFile(path, w, r);
        } catch (SQLException e) {
            try {
                w.close();
            } catch (SQLException ignored) {
                // being given up
            }
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /**
     * Writes one batch in one transaction: the raw points, the buckets merged into the rows already
     * there, then the retention: raw rows older than {@code rawKeepMillis} and each tier's rows older than
     * its keep are deleted, for the {@code topics} kept. Writer thread only.
     */
    void write(List<HistoryPoint> points, Buckets buckets, List<HistoryTier> tiers, long rawKeepMillis, long now,
            Collection<String> topics) throws SQLException {
        try {
            try (PreparedStatement raw = writer.prepareStatement("INSERT OR REPLACE INTO raw (topic, t, v) VALUES (?, ?, ?)")) {
                for (HistoryPoint p : points) {
                    if (p.millis() >= now - rawKeepMillis) {
                        raw.setString(1, p.topic());
                        raw.setLong(2, p.millis());
                        raw.setBytes(3, p.encodeValues());
                        raw.addBatch();
                    }
                }
                raw.executeBatch();
            }
            try (PreparedStatement agg = writer.prepareStatement("INSERT INTO agg (topic, step, t, field, n, sum, lo, hi)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (topic, step, t, field) DO UPDATE SET"
                    + " n = n + excluded.n, sum = sum + excluded.sum, lo = min(lo, excluded.lo), hi = max(hi, excluded.hi)")) {
                for (Map.Entry<Buckets.Key, Buckets.Agg> e : buckets.aggregates().entrySet()) {
                    Buckets.Key k = e.getKey();
                    Buckets.Agg a = e.getValue();
                    agg.setString(1, k.topic());
                    agg.setLong(2, k.step());
                    agg.setLong(3, k.start());
                    agg.setString(4, k.field());
                    agg.setLong(5, a.n);
                    agg.setDouble(6, a.sum);
                    agg.setDouble(7, a.min);
                    agg.setDouble(8, a.max);
                    agg.addBatch();
                }
                agg.executeBatch();
            }
            try (PreparedStatement oldRaw = writer.prepareStatement("DELETE FROM raw WHERE topic = ? AND t < ?");
                    PreparedStatement oldAgg = writer.prepareStatement(
                            "DELETE FROM agg WHERE topic = ? AND step = ? AND t < ?")) {
                for (String topic : topics) {
                    oldRaw.setString(1, topic);
                    oldRaw.setLong(2, now - rawKeepMillis);
                    oldRaw.executeUpdate();
                    for (HistoryTier tier : tiers) {
                        oldAgg.setString(1, topic);
                        oldAgg.setLong(2, tier.stepMillis());
                        // A bucket goes once all of it is older than the keep.
                        oldAgg.setLong(3, now - tier.keepMillis() - tier.stepMillis() + 1);
                        oldAgg.executeUpdate();
                    }
                }
            }
            writer.commit();
        } catch (SQLException e) {
            try {
                writer.rollback();
            } catch (SQLException ignored) {
                // the connection is broken; the next batch reports it again
            }
            throw e;
        }
    }

    /** The raw points of {@code topic} at or after {@code since}, in time order; a row that cannot be read is skipped. */
    synchronized List<HistoryPoint> raw(String topic, long since) throws SQLException {
        List<HistoryPoint> out = new ArrayList<>();
        try (PreparedStatement q = reader.prepareStatement("SELECT t, v FROM raw WHERE topic = ? AND t >= ? ORDER BY t")) {
            q.setString(1, topic);
            q.setLong(2, since);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    try {
                        out.add(new HistoryPoint(topic, rs.getLong(1), HistoryPoint.decodeValues(rs.getBytes(2))));
                    } catch (IOException e) {
                        // a damaged row: the chart misses one point
                    }
                }
            }
        }
        return out;
    }

    /** One tier's buckets of {@code topic} starting at or after {@code from}: rows of (start, field, n, sum, min, max). */
    synchronized TierSeries tier(String topic, long step, long from) throws SQLException {
        TierSeries s = new TierSeries();
        try (PreparedStatement q = reader.prepareStatement("SELECT t, field, n, sum, lo, hi FROM agg"
                + " WHERE topic = ? AND step = ? AND t >= ? ORDER BY t")) {
            q.setString(1, topic);
            q.setLong(2, step);
            q.setLong(3, from);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    long n = rs.getLong(3);
                    if (n > 0) {
                        s.add(rs.getLong(1), rs.getString(2), rs.getDouble(4) / n, rs.getDouble(5), rs.getDouble(6));
                    }
                }
            }
        }
        return s;
    }

    /** Closes both connections. Call after the writer thread has stopped. */
    @Override
    public synchronized void close() {
        for (Connection c : List.of(writer, reader)) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.warn("Closing the dashboard history {}: {}", path, e.getMessage());
            }
        }
    }
}
