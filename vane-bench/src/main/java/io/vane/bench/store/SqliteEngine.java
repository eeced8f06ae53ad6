package io.vane.bench.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * SQLite through {@code org.xerial:sqlite-jdbc}: WAL mode with {@code synchronous=FULL} (the WAL is
 * synced at every commit, so a committed batch survives a power cut), one transaction per batch,
 * prepared statements, and a WITHOUT ROWID table so the key is the B-tree's own key.
 */
public final class SqliteEngine implements Engine {
    private Path dir;
    private Connection connection;
    private PreparedStatement put;
    private PreparedStatement delete;

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public void open(Path dir) throws IOException {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("store.db"));
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("CREATE TABLE IF NOT EXISTS kv (k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID");
            }
            connection.setAutoCommit(false);
            put = connection.prepareStatement("INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)");
            delete = connection.prepareStatement("DELETE FROM kv WHERE k = ?");
        } catch (SQLException e) {
            throw new IOException("sqlite: cannot open " + dir, e);
        }
    }

    @Override
    public void commit(Batch batch) throws IOException {
        try {
            for (Batch.Op op : batch.ops()) {
                if (op.isDelete()) {
                    delete.setBytes(1, op.key());
                    delete.executeUpdate();
                } else {
                    put.setBytes(1, op.key());
                    put.setBytes(2, op.value());
                    put.executeUpdate();
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IOException("sqlite: commit failed", e);
        }
    }

    @Override
    public long scan(RecordVisitor visitor) throws IOException {
        long n = 0;
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT k, v FROM kv")) {
            while (rs.next()) {
                visitor.record(rs.getBytes(1), rs.getBytes(2));
                n++;
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IOException("sqlite: scan failed", e);
        }
        return n;
    }

    @Override
    public Path directory() {
        return dir;
    }

    @Override
    public void close() throws IOException {
        if (connection == null) {
            return;
        }
        try {
            put.close();
            delete.close();
            connection.close();
        } catch (SQLException e) {
            throw new IOException("sqlite: close failed", e);
        } finally {
            connection = null;
        }
    }
}
