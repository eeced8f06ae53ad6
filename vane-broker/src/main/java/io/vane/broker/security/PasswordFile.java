package io.vane.broker.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mosquitto's password file ({@code user:hash} lines), loaded and frozen. Checking a password costs
 * the same whether the user exists or not, and whatever kind of hash the user has: the file keeps one
 * dummy per distinct cost among its hashes ({@code $6$}, {@code $7$} with its iterations, argon2id with
 * its parameters), and every check does the work of each cost once, the user's own hash standing in
 * for the dummy of its cost. An unknown user runs all the dummies. So a legacy {@code $6$} user is no
 * faster to check than an unknown one (decision 0008).
 */
public final class PasswordFile {
    private static final Logger LOG = LoggerFactory.getLogger("vane.security");
    private static final PasswordHash DUMMY = PasswordHash.pbkdf2("not a password", PasswordHash.DEFAULT_ITERATIONS);

    private final Map<String, PasswordHash> users;
    /** One dummy per distinct cost in the file (the default $7$ cost for an empty file), by cost key. */
    private final Map<String, PasswordHash> dummies;
    /** Hash checks done, for tests that unknown users take the same path as known ones. */
    int checks;
    /** The costs the last check paid, in order, for tests (not synchronised: tests check one at a time). */
    volatile List<String> lastWork = List.of();

    private PasswordFile(Map<String, PasswordHash> users) {
        this.users = users;
        Map<String, PasswordHash> d = new LinkedHashMap<>();
        for (PasswordHash h : users.values()) {
            d.computeIfAbsent(h.cost(), k -> h.dummyOfSameCost());
        }
        if (d.isEmpty()) {
            d.put(DUMMY.cost(), DUMMY);
        }
        this.dummies = java.util.Collections.unmodifiableMap(d);
    }

    /** Reads and validates the whole file; any bad line stops the load with file:line. */
    public static PasswordFile load(Path file) throws SecurityFileException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SecurityFileException(file + ": cannot read the password file (" + e.getMessage()
                    + "); check the path and that Vane's user may read it");
        }
        warnIfReadableByOthers(file);
        Map<String, PasswordHash> users = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + ":" + (i + 1) + ": ";
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new SecurityFileException(where + "expected user:hash; write a line like weemqtt:$7$... with "
                        + "'vane passwd " + file + " USER'");
            }
            String user = line.substring(0, colon);
            try {
                users.put(user, PasswordHash.parse(line.substring(colon + 1)));
            } catch (IllegalArgumentException e) {
                throw new SecurityFileException(where + "the password of '" + user + "' cannot be used: "
                        + e.getMessage() + "; write user:password lines and hash them with 'mosquitto_passwd -U "
                        + file + "'");
            }
        }
        return new PasswordFile(Map.copyOf(users));
    }

    /** Mosquitto 2.0.21 warns about password files others may read; so does Vane. */
    private static void warnIfReadableByOthers(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("Warning: File {} has world readable permissions. Future versions will refuse to load this"
                        + " file.", file);
            } else if (perms.contains(PosixFilePermission.GROUP_READ)) {
                LOG.warn("Warning: File {} group is readable. Future versions will refuse to load this file.", file);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Not a POSIX file system: nothing to warn about.
        }
    }

    /**
     * Whether the user exists and the password matches. The same work whoever asks: each cost of the
     * file once, against the user's hash for its own cost and against dummies for the others.
     */
    public boolean check(String user, byte[] password) {
        PasswordHash own = user == null ? null : users.get(user);
        byte[] candidate = password == null ? new byte[0] : password;
        checks++;
        boolean ok = false;
        List<String> work = new java.util.ArrayList<>(dummies.size());
        for (Map.Entry<String, PasswordHash> e : dummies.entrySet()) {
            boolean mine = own != null && own.cost().equals(e.getKey());
            boolean matched = (mine ? own : e.getValue()).matches(candidate);
            ok |= mine && matched;
            work.add(e.getKey());
        }
        if (own != null && !dummies.containsKey(own.cost())) {
            ok = own.matches(candidate); // cannot happen: every hash's cost has its dummy
        }
        lastWork = List.copyOf(work);
        return ok && password != null;
    }

    /** The distinct costs every check pays, for tests and the decision record. */
    java.util.Set<String> costs() {
        return dummies.keySet();
    }

    /** Whether a check pays a slow cost: every check pays every cost of the file, so one slow hash is enough. */
    public boolean isSlow() {
        return dummies.values().stream().anyMatch(PasswordHash::isSlow);
    }

    public int size() {
        return users.size();
    }
}
