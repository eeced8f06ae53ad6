package io.vane.app.doctor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which process listens on a TCP port, found the way {@code ss -ltnp} finds it on Linux: the listening
 * sockets' inodes from {@code /proc/net/tcp} and {@code tcp6}, then the process whose {@code /proc/PID/fd}
 * holds one of them. Processes of other users are invisible without root, so "not found" is an answer.
 */
final class PortOwner {

    /** A process holding the port. */
    record Holder(long pid, String name, String commandLine) {
        String describe() {
            return "'" + name + "' (pid " + pid + (commandLine.isEmpty() ? "" : ": " + shorten(commandLine)) + ")";
        }

        private static String shorten(String s) {
            return s.length() <= 100 ? s : s.substring(0, 97) + "...";
        }
    }

    private PortOwner() {
    }

    /** The process listening on {@code port}, or null when it cannot be seen (another user's, or not Linux). */
    static Holder find(int port) {
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            inodes.addAll(listeningInodes(Path.of(table), port));
        }
        inodes.remove("0");
        if (inodes.isEmpty()) {
            return null;
        }
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString()
                .chars().allMatch(Character::isDigit))) {
            for (Path proc : procs) {
                if (holdsAny(proc, inodes)) {
                    long pid = Long.parseLong(proc.getFileName().toString());
                    return new Holder(pid, read(proc.resolve("comm")).strip(),
                            read(proc.resolve("cmdline")).replace('\0', ' ').strip());
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** Inodes of sockets in LISTEN state (0A) on {@code port}, from one /proc/net table. */
    static Set<String> listeningInodes(Path table, int port) {
        Set<String> found = new HashSet<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(table, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return found;
        }
        String hexPort = String.format(":%04X", port);
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.strip().split("\\s+");
            if (f.length > 9 && f[1].endsWith(hexPort) && f[3].equals("0A")) {
                found.add(f[9]);
            }
        }
        return found;
    }

    private static boolean holdsAny(Path proc, Set<String> inodes) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1))) {
                        return true;
                    }
                } catch (IOException e) {
                    // the fd closed while we looked: not this one
                }
            }
        } catch (IOException | SecurityException e) {
            // another user's process: its fds are hidden from us
        }
        return false;
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
