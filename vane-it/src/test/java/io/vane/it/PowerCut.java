package io.vane.it;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A power cut played from the undo log that {@code src/test/c/powercut.c} wrote while Vane ran (after
 * Vane was killed with SIGKILL, so the files hold every write the page cache had).
 *
 * <p>For each file, a write or size change logged after the file's last sync point had not reached the
 * platter yet: each one is kept, reverted, or (a write) torn, so that only some of its 512-byte sectors
 * are reverted. Reverting goes newest first and restores the bytes the log holds, unless a newer write
 * that was kept covers them; bytes a reverted write had added past the end become a hole of zeros, or are
 * cut off when no kept write reaches that far. Writes before the last sync point are left as they are:
 * they are what the store was promised.
 */
final class PowerCut {
    static final int SECTOR = 512;

    /** One logged call; {@code pos} is where it starts in the log, which orders it against sync points. */
    private record Change(long pos, boolean truncate, long offset, long length, long oldSize, byte[] old) {
        /** Where the file ended after it. */
        long newSize() {
            return truncate ? offset : Math.max(oldSize, offset + length);
        }
    }

    /** What a cut did to one file. */
    record FileCut(String file, int unsynced, int kept, int reverted, int torn, long bytesReverted, long sizeBefore,
            long sizeAfter) {
        @Override
        public String toString() {
            return String.format("%s: %d unsynced (%d kept, %d reverted, %d torn), %d bytes reverted, size %d -> %d",
                    file, unsynced, kept, reverted, torn, bytesReverted, sizeBefore, sizeAfter);
        }
    }

    /** The cut per file that had unsynced changes, and how many writes and sync points the log held. */
    record Result(List<FileCut> files, int writes, int syncs) {
        @Override
        public String toString() {
            return writes + " writes and " + syncs + " sync points logged; " + (files.isEmpty() ? "nothing unsynced"
                    : String.join("; ", files.stream().map(FileCut::toString).toList()));
        }
    }

    private PowerCut() {
    }

    /**
     * Compiles {@code src/test/c/powercut.c} into {@code target/powercut/powercut.so} with {@code cc}; fails
     * (never skips) when there is no compiler.
     */
    static Path buildLayer() throws IOException, InterruptedException {
        Path source = Path.of("src", "test", "c", "powercut.c").toAbsolutePath();
        Path out = Path.of("target", "powercut").toAbsolutePath();
        Files.createDirectories(out);
        Path layer = out.resolve("powercut.so");
        List<String> cmd = List.of("cc", "-shared", "-fPIC", "-O2", "-Wall", "-o", layer.toString(), source.toString(),
                "-ldl", "-lpthread");
        Process cc;
        try {
            cc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("no C compiler (cc) to build the power-cut layer " + source
                    + ": apt-get install gcc libc6-dev", e);
        }
        String output = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!cc.waitFor(60, TimeUnit.SECONDS) || cc.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed (apt-get install gcc libc6-dev if headers are"
                    + " missing):\n" + output);
        }
        return layer;
    }

    /** Plays a power cut on the files the log names, chosen by {@code random}; returns what it did per file. */
    static Result play(Path log, Random random) throws IOException {
        Map<String, List<Change>> changes = new LinkedHashMap<>();
        Map<String, Long> syncedBefore = new LinkedHashMap<>();
        int syncs = read(log, changes, syncedBefore);
        List<FileCut> cuts = new ArrayList<>();
        for (Map.Entry<String, List<Change>> e : changes.entrySet()) {
            Path file = Path.of(e.getKey());
            if (!Files.exists(file)) {
                continue; // deleted since (SQLite's rollback journal from creating the file, or "x (deleted)")
            }
            long synced = syncedBefore.getOrDefault(e.getKey(), -1L);
            // A record logged once the sync had begun may have come too late for it.
            List<Change> unsynced = e.getValue().stream().filter(c -> c.pos >= synced).toList();
            if (!unsynced.isEmpty()) {
                cuts.add(cut(file, unsynced, random));
            }
        }
        return new Result(cuts, changes.values().stream().mapToInt(List::size).sum(), syncs);
    }

    /** Reads the log: changes per file in log order, and each file's last sync point (the log length when it began). */
    private static int read(Path log, Map<String, List<Change>> changes, Map<String, Long> syncedBefore)
            throws IOException {
        int syncs = 0;
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(log)).order(ByteOrder.nativeOrder());
        while (b.remaining() >= 3) {
            int pos = b.position();
            try {
                char type = (char) b.get();
                byte[] name = new byte[Short.toUnsignedInt(b.getShort())];
                b.get(name);
                String path = new String(name, StandardCharsets.UTF_8);
                switch (type) {
                    case 'W' -> {
                        long offset = b.getLong();
                        long length = b.getLong();
                        long oldSize = b.getLong();
                        byte[] old = new byte[(int) Math.max(0, Math.min(length, oldSize - offset))];
                        b.get(old);
                        changes.computeIfAbsent(path, k -> new ArrayList<>())
                                .add(new Change(pos, false, offset, length, oldSize, old));
                    }
                    case 'T' -> {
                        long newSize = b.getLong();
                        long oldSize = b.getLong();
                        byte[] old = new byte[(int) Math.max(0, oldSize - newSize)];
                        b.get(old);
                        changes.computeIfAbsent(path, k -> new ArrayList<>())
                                .add(new Change(pos, true, newSize, 0, oldSize, old));
                    }
                    case 'S' -> {
                        syncedBefore.merge(path, b.getLong(), Math::max);
                        syncs++;
                    }
                    default -> throw new IOException(log + ": unknown record '" + type + "' at " + pos);
                }
            } catch (java.nio.BufferUnderflowException partial) {
                // SIGKILL while the layer was logging a call: the call itself had not been made yet.
                return syncs;
            }
        }
        return syncs;
    }

    private enum Fate { KEEP, REVERT, TEAR }

    private static FileCut cut(Path file, List<Change> unsynced, Random random) throws IOException {
        int n = unsynced.size();
        Fate[] fate = new Fate[n];
        BitSet[] keptSectors = new BitSet[n]; // for torn writes: which of its sectors reached the platter
        int kept = 0;
        int reverted = 0;
        int torn = 0;
        for (int i = 0; i < n; i++) {
            Change c = unsynced.get(i);
            double r = random.nextDouble();
            fate[i] = r < 0.35 ? Fate.KEEP : r < 0.8 || c.truncate || c.length == 0 ? Fate.REVERT : Fate.TEAR;
            if (fate[i] == Fate.TEAR) {
                keptSectors[i] = new BitSet();
                for (long s = c.offset / SECTOR; s * SECTOR < c.offset + c.length; s++) {
                    if (random.nextBoolean()) {
                        keptSectors[i].set((int) (s - c.offset / SECTOR));
                    }
                }
            }
            switch (fate[i]) {
                case KEEP -> kept++;
                case REVERT -> reverted++;
                case TEAR -> torn++;
            }
        }
        // The size after the cut: the size at the sync point, changed only by what reached the platter.
        long size = unsynced.get(0).oldSize;
        for (int i = 0; i < n; i++) {
            Change c = unsynced.get(i);
            if (fate[i] == Fate.KEEP) {
                size = c.truncate ? c.offset : Math.max(size, c.newSize());
            } else if (fate[i] == Fate.TEAR) {
                int last = keptSectors[i].length() - 1;
                if (last >= 0) {
                    long sectorEnd = (c.offset / SECTOR + last + 1) * SECTOR;
                    size = Math.max(size, Math.min(sectorEnd, c.offset + c.length));
                }
            }
        }
        long finalSize = size;
        long bytesReverted = 0;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long sizeBefore = raf.length();
            if (finalSize > sizeBefore) {
                raf.setLength(finalSize);
            }
            BitSet stays = new BitSet(); // bytes a newer kept change decided
            for (int i = n - 1; i >= 0; i--) {
                Change c = unsynced.get(i);
                if (c.truncate) {
                    long from = c.offset;
                    long to = Math.max(c.oldSize, c.offset);
                    if (fate[i] == Fate.KEEP) {
                        stays.set((int) from, (int) to);
                    } else {
                        bytesReverted += restore(raf, stays, c, from, to, finalSize);
                    }
                    continue;
                }
                for (long s = c.offset / SECTOR; s * SECTOR < c.offset + c.length; s++) {
                    long from = Math.max(c.offset, s * SECTOR);
                    long to = Math.min(c.offset + c.length, (s + 1) * SECTOR);
                    boolean reached = fate[i] == Fate.KEEP
                            || fate[i] == Fate.TEAR && keptSectors[i].get((int) (s - c.offset / SECTOR));
                    if (reached) {
                        stays.set((int) from, (int) to);
                    } else {
                        bytesReverted += restore(raf, stays, c, from, to, finalSize);
                    }
                }
            }
            raf.setLength(finalSize);
            return new FileCut(file.getFileName().toString(), n, kept, reverted, torn, bytesReverted, sizeBefore,
                    finalSize);
        }
    }

    /**
     * Puts back what was at [from, to) before {@code c} (the logged bytes, or zeros past the size it found)
     * where no newer kept change decided the byte and the file still reaches; returns the bytes written.
     */
    private static long restore(RandomAccessFile raf, BitSet stays, Change c, long from, long to, long finalSize)
            throws IOException {
        long written = 0;
        long end = Math.min(to, finalSize);
        for (long p = from; p < end; ) {
            int free = stays.nextClearBit((int) p);
            if (free >= end) {
                break;
            }
            int taken = stays.nextSetBit(free);
            long runEnd = taken < 0 || taken > end ? end : taken;
            byte[] bytes = new byte[(int) (runEnd - free)];
            for (int k = 0; k < bytes.length; k++) {
                long at = free + k;
                // A truncate's old bytes start at its new size; a write's at its offset.
                long index = at - c.offset;
                bytes[k] = index >= 0 && index < c.old.length ? c.old[(int) index] : 0;
            }
            raf.seek(free);
            raf.write(bytes);
            written += bytes.length;
            p = runEnd;
        }
        return written;
    }
}
