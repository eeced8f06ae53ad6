package io.vane.bench.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * RocksDB through {@code org.rocksdb:rocksdbjni}: one {@link WriteBatch} per batch written with
 * {@code sync=true} (the WAL is fsynced before the write returns), an 8 MiB block cache, RocksDB's
 * defaults otherwise (64 MiB memtable, level compaction, background threads).
 */
public final class RocksDbEngine implements Engine {
    static {
        RocksDB.loadLibrary();
    }

    private static final long BLOCK_CACHE_BYTES = 8L << 20;

    private Path dir;
    private LRUCache cache;
    private Options options;
    private WriteOptions sync;
    private RocksDB db;

    @Override
    public String name() {
        return "rocksdb";
    }

    @Override
    public void open(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        cache = new LRUCache(BLOCK_CACHE_BYTES);
        options = new Options().setCreateIfMissing(true)
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache));
        sync = new WriteOptions().setSync(true);
        try {
            db = RocksDB.open(options, dir.toString());
        } catch (RocksDBException e) {
            throw new IOException("rocksdb: cannot open " + dir, e);
        }
    }

    @Override
    public void commit(Batch batch) throws IOException {
        try (WriteBatch wb = new WriteBatch()) {
            for (Batch.Op op : batch.ops()) {
                if (op.isDelete()) {
                    wb.delete(op.key());
                } else {
                    wb.put(op.key(), op.value());
                }
            }
            db.write(sync, wb);
        } catch (RocksDBException e) {
            throw new IOException("rocksdb: commit failed", e);
        }
    }

    @Override
    public long scan(RecordVisitor visitor) {
        long n = 0;
        try (RocksIterator it = db.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                visitor.record(it.key(), it.value());
                n++;
            }
        }
        return n;
    }

    @Override
    public Path directory() {
        return dir;
    }

    @Override
    public void close() {
        if (db == null) {
            return;
        }
        db.close();
        sync.close();
        options.close();
        cache.close();
        db = null;
    }
}
