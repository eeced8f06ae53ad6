package io.vane.app.doctor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether another account (the service's {@code vane} user) may read a file, judged from the POSIX
 * modes the way the kernel does: search permission on every folder on the way, then the owner's, the
 * group's or the others' read bit, whichever class the account falls in. Needed because doctor is
 * often run as root, who reads everything, while the broker runs as vane and cannot read a Let's
 * Encrypt key under {@code /etc/letsencrypt/archive/} (0700 root), the failure of mosquitto #2161 and #1972.
 * ACLs (setfacl) are not read: with them the answer may be "no" where the kernel says yes.
 */
final class FileAccess {

    /** A local account: its uid and every group it is in. */
    record Account(String name, int uid, Set<Integer> gids) {
    }

    private FileAccess() {
    }

    /** The account from /etc/passwd and /etc/group, or null when there is none by that name. */
    static Account lookup(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"), StandardCharsets.UTF_8)) {
                String[] f = line.split(":");
                if (f.length > 3 && f[0].equals(name)) {
                    Set<Integer> gids = new HashSet<>();
                    gids.add(Integer.parseInt(f[3]));
                    for (String g : Files.readAllLines(Path.of("/etc/group"), StandardCharsets.UTF_8)) {
                        String[] gf = g.split(":");
                        if (gf.length > 3 && List.of(gf[3].split(",")).contains(name)) {
                            gids.add(Integer.parseInt(gf[2]));
                        }
                    }
                    return new Account(name, Integer.parseInt(f[2]), gids);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return null;
        }
        return null;
    }

    /** Why {@code who} cannot read {@code file}, or null when it can. */
    static String whyUnreadable(Path file, Account who) {
        if (who.uid() == 0) {
            return null;
        }
        try {
            Path given = file.toAbsolutePath();
            Path real = given.toRealPath();
            for (Path p : List.of(given, real)) {
                for (Path dir = p.getParent(); dir != null; dir = dir.getParent()) {
                    if (!allowed(dir, who, 1)) {
                        return "folder " + dir + " (" + describe(dir) + ") does not let " + who.name() + " in";
                    }
                }
            }
            if (!allowed(real, who, 4)) {
                return real + " (" + describe(real) + ") does not let " + who.name() + " read it";
            }
            return null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /** Whether {@code who} has {@code bit} (4 read, 1 search) on {@code p}, by the class it is in. */
    private static boolean allowed(Path p, Account who, int bit) throws IOException {
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        int uid = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int gid = (Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        int shift = uid == who.uid() ? 6 : who.gids().contains(gid) ? 3 : 0;
        return ((mode >> shift) & bit) != 0;
    }

    private static String describe(Path p) throws IOException {
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        String owner = Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName();
        StringBuilder sb = new StringBuilder();
        for (int shift = 6; shift >= 0; shift -= 3) {
            int m = mode >> shift;
            sb.append((m & 4) != 0 ? 'r' : '-').append((m & 2) != 0 ? 'w' : '-').append((m & 1) != 0 ? 'x' : '-');
        }
        return sb + " " + owner;
    }
}
