package io.vane.bench.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What Linux says about this process's writes and memory, and about the files an engine keeps.
 * {@code write_bytes} in /proc/self/io counts bytes this process (every thread, so RocksDB's background
 * flushes too) caused to be sent to the block layer, in whole pages; the file system's own journal is
 * not in it, which {@link #deviceSectorsWritten} (the whole disk, every process) shows.
 */
final class IoCounters {
    private IoCounters() {
    }

    /** {@code write_bytes} of /proc/self/io, or -1 where the kernel does not provide it. */
    static long processWriteBytes() {
        return field(Path.of("/proc/self/io"), "write_bytes:");
    }

    /** {@code VmRSS} of /proc/self/status in bytes, or -1. */
    static long residentBytes() {
        long kib = field(Path.of("/proc/self/status"), "VmRSS:");
        return kib < 0 ? -1 : kib * 1024;
    }

    /** Sectors (512 B) written to {@code device} since boot by everyone, or -1 where unknown. */
    static long deviceSectorsWritten(String device) {
        try {
            String[] f = Files.readString(Path.of("/sys/block", device, "stat")).trim().split("\\s+");
            return Long.parseLong(f[6]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The size of every regular file under {@code dir}. */
    static long bytesOnDisk(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }

    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static long field(Path file, String name) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
