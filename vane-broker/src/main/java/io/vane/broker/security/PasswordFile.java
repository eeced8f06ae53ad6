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
 * the same whether the user exists or not: an unknown user is checked against a dummy hash of the
 * default kind, so timing tells nothing.
 */
public final class PasswordFile {
    private static final Logger LOG = LoggerFactory.getLogger("vane.security");
    private static final PasswordHash DUMMY = PasswordHash.pbkdf2("not a password", PasswordHash.DEFAULT_ITERATIONS);

    private final Map<String, PasswordHash> users;
    /** Hash checks done, for tests that unknown users take the same path as known ones. */
    int checks;

    private PasswordFile(Map<String, PasswordHash> users) {
        this.users = users;
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

    /** Whether the user exists and the password matches. Same cost for unknown users. */
    public boolean check(String user, byte[] password) {
        PasswordHash hash = user == null ? null : users.get(user);
        checks++;
        if (hash == null || password == null) {
            DUMMY.matches(password == null ? new byte[0] : password);
            return false;
        }
        return hash.matches(password);
    }

    public int size() {
        return users.size();
    }
}
