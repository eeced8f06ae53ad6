package io.vane.bench.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * A stand-in for a log of Vane's own, on the JDK only: records
 * {@code [length:int][crc32c:int][type:byte][keyLength:short][key][value]} appended to one file, one
 * {@code force(false)} per batch. Recovery reads the whole file, checks each CRC, keeps the last value
 * per key in a {@link HashMap}, and cuts a torn or corrupt tail back to the last good record.
 *
 * <p>It has no compaction: the file grows with every put and delete, which a real store must bound
 * (and pay for in extra writes). {@code length} counts the bytes after the CRC; the CRC covers them.
 *
 * <p>With {@code preallocate} ({@code log-prealloc}) the file is extended 16 MiB at a time with zeros
 * and synced, so a batch's {@code force(false)} changes no file size and ext4 commits no journal
 * transaction for it; a zero length ends the log. Without it every sync of a growing file also writes
 * the file system's journal, which the measurements show.
 */
public final class AppendLogEngine implements Engine {
    private static final int HEADER = 8;
    private static final int FIXED = 3;
    private static final int MAX_RECORD = 16 << 20;
    private static final byte PUT = 1;
    private static final byte DELETE = 2;
    private static final int SEGMENT = 16 << 20;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 20);

    private final boolean preallocate;

    private final Map<Key, byte[]> index = new HashMap<>();
    private final CRC32C crc = new CRC32C();
    private Path dir;
    private FileChannel channel;
    private ByteBuffer out = ByteBuffer.allocate(64 << 10);
    private long end;
    private long allocated;

    public AppendLogEngine() {
        this(false);
    }

    public AppendLogEngine(boolean preallocate) {
        this.preallocate = preallocate;
    }

    @Override
    public String name() {
        return preallocate ? "log-prealloc" : "log";
    }

    @Override
    public void open(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        Path file = dir.resolve("store.log");
        boolean created = !Files.exists(file);
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (created) {
            // The new file's directory entry must be durable too, or a power cut can lose the whole file.
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
        }
        long good = recover();
        allocated = channel.size();
        if (good < allocated && !preallocate) {
            channel.truncate(good);
            channel.force(true);
            allocated = good;
        } else if (good < allocated && !zeroAt(good)) {
            // A torn or corrupt tail: zero it, or a later, shorter record could be followed by stale ones.
            zero(good, allocated - good);
            channel.force(true);
        }
        end = good;
    }

    private boolean zeroAt(long position) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        channel.read(header, position);
        return header.getLong(0) == 0;
    }

    private void zero(long from, long length) throws IOException {
        for (long p = from; p < from + length; ) {
            ByteBuffer z = ZEROS.duplicate().limit((int) Math.min(ZEROS.capacity(), from + length - p));
            p += channel.write(z, p);
        }
    }

    private long recover() throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        long good = 0;
        channel.position(0);
        outer:
        while (true) {
            int n = channel.read(buf);
            buf.flip();
            while (buf.remaining() >= HEADER) {
                int p = buf.position();
                int length = buf.getInt(p);
                if (length < FIXED || length > MAX_RECORD) {
                    break outer;
                }
                if (buf.remaining() < HEADER + length) {
                    if (HEADER + length > buf.capacity()) {
                        buf = ByteBuffer.allocate(Math.max(buf.capacity() * 2, HEADER + length)).put(buf).flip();
                    }
                    break;
                }
                crc.reset();
                crc.update(buf.array(), p + HEADER, length);
                if ((int) crc.getValue() != buf.getInt(p + 4) || !replay(buf, p + HEADER, length)) {
                    break outer;
                }
                buf.position(p + HEADER + length);
                good += HEADER + length;
            }
            buf.compact();
            if (n < 0) {
                break;
            }
        }
        return good;
    }

    private boolean replay(ByteBuffer buf, int at, int length) {
        byte type = buf.get(at);
        int keyLength = Short.toUnsignedInt(buf.getShort(at + 1));
        if (keyLength > length - FIXED) {
            return false;
        }
        byte[] key = Arrays.copyOfRange(buf.array(), at + FIXED, at + FIXED + keyLength);
        if (type == PUT) {
            index.put(new Key(key), Arrays.copyOfRange(buf.array(), at + FIXED + keyLength, at + length));
        } else if (type == DELETE) {
            index.remove(new Key(key));
        } else {
            return false;
        }
        return true;
    }

    @Override
    public void commit(Batch batch) throws IOException {
        out.clear();
        for (Batch.Op op : batch.ops()) {
            int valueLength = op.isDelete() ? 0 : op.value().length;
            int length = FIXED + op.key().length + valueLength;
            if (out.remaining() < HEADER + length) {
                out = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + HEADER + length)).put(out.flip());
            }
            int start = out.position();
            out.putInt(length).putInt(0).put(op.isDelete() ? DELETE : PUT).putShort((short) op.key().length).put(op.key());
            if (!op.isDelete()) {
                out.put(op.value());
            }
            crc.reset();
            crc.update(out.array(), start + HEADER, length);
            out.putInt(start + 4, (int) crc.getValue());
        }
        out.flip();
        if (preallocate && end + out.remaining() > allocated) {
            long grow = Math.max(SEGMENT, end + out.remaining() - allocated);
            zero(allocated, grow);
            channel.force(true);
            allocated += grow;
        }
        while (out.hasRemaining()) {
            end += channel.write(out, end);
        }
        channel.force(false);
        for (Batch.Op op : batch.ops()) {
            if (op.isDelete()) {
                index.remove(new Key(op.key()));
            } else {
                index.put(new Key(op.key()), op.value());
            }
        }
    }

    @Override
    public long scan(RecordVisitor visitor) {
        index.forEach((k, v) -> visitor.record(k.bytes, v));
        return index.size();
    }

    @Override
    public Path directory() {
        return dir;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.force(true);
            channel.close();
            channel = null;
        }
        index.clear();
    }

    /** A byte-array key compared by content. */
    private static final class Key {
        final byte[] bytes;
        final int hash;

        Key(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && Arrays.equals(k.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
