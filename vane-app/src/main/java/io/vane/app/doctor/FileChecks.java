package io.vane.app.doctor;

import io.vane.broker.security.AclFile;
import io.vane.broker.security.PasswordFile;
import io.vane.broker.security.SecurityFileException;
import io.vane.broker.security.SecuritySettings;
import io.vane.transport.ListenerConfig;
import io.vane.transport.tls.ServerCertificate;
import io.vane.transport.tls.TlsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The files the config names: each must exist, be readable by the user Vane runs as, be readable as
 * what it is, and, for secrets (password files and private keys), not be readable by every user.
 * Let's Encrypt keys the broker's user cannot read are the common failure (mosquitto #2161, #1972).
 */
final class FileChecks {
    static final String GROUP = "files";

    /** What a file is for, which decides how it is read and what the fix says. */
    enum Kind {
        PASSWORD_FILE("password_file", true), ACL_FILE("acl_file", false), CERTFILE("certfile", false),
        KEYFILE("keyfile", true), CAFILE("cafile", false);

        final String option;
        final boolean secret;

        Kind(String option, boolean secret) {
            this.option = option;
            this.secret = secret;
        }
    }

    private FileChecks() {
    }

    static void run(Doctor d) {
        Map<Path, Kind> files = new LinkedHashMap<>();
        List<SecuritySettings> security = new ArrayList<>();
        security.add(d.config.security().global());
        security.addAll(d.config.security().perListener().values());
        for (SecuritySettings s : security) {
            put(files, s.passwordFile(), Kind.PASSWORD_FILE);
            put(files, s.aclFile(), Kind.ACL_FILE);
        }
        for (ListenerConfig l : d.config.listeners()) {
            TlsSettings tls = l.tls();
            if (tls != null) {
                put(files, tls.certfile(), Kind.CERTFILE);
                put(files, tls.keyfile(), Kind.KEYFILE);
                put(files, tls.cafile(), Kind.CAFILE);
            }
        }
        if (files.isEmpty()) {
            d.report().pass(GROUP, "the config names no password, ACL or certificate files");
            return;
        }
        String asked = d.inputs().serviceUser();
        FileAccess.Account account = account(asked);
        if (asked != null && account == null) {
            d.report().fail(GROUP, "there is no account named " + asked + " on this machine (--service-user)",
                    "give the user the broker runs as (systemctl show -p User vane)");
            return;
        }
        files.forEach((file, kind) -> check(d.report(), file, kind, account));
    }

    /**
     * The account whose access is judged: the one asked for; else vane when doctor runs as root (who
     * reads everything, so its own access says nothing) and that account exists; else null, meaning
     * the user doctor runs as, judged by the kernel itself.
     */
    static FileAccess.Account account(String asked) {
        if (asked != null) {
            return FileAccess.lookup(asked);
        }
        return "root".equals(System.getProperty("user.name")) ? FileAccess.lookup("vane") : null;
    }

    private static void put(Map<Path, Kind> files, Path file, Kind kind) {
        if (file != null) {
            files.putIfAbsent(file, kind);
        }
    }

    static void check(Report r, Path file, Kind kind, FileAccess.Account account) {
        String name = kind.option + " " + file;
        String user = account == null ? System.getProperty("user.name") : account.name();
        if (!Files.exists(file)) {
            r.fail(GROUP, name + " does not exist", missingFix(file, kind));
            return;
        }
        String why = account == null ? (Files.isReadable(file) ? null : "vane doctor runs as " + user)
                : FileAccess.whyUnreadable(file, account);
        if (why != null) {
            r.fail(GROUP, name + " cannot be read by user " + user + ": " + why,
                    "let the user Vane runs as read it, e.g. sudo chown " + user + " " + file + " && sudo chmod 600 "
                    + file + " (and let it into the folders on the way)"
                    + (file.toString().contains("letsencrypt") ? " (for Let's Encrypt: a certbot deploy hook that"
                            + " copies the key for the vane user, see docs/operations.md)" : "")
                    + "; or judge another account: --service-user USER");
            return;
        }
        String mode = mode(file);
        if (kind.secret && mode != null && mode.charAt(6) == 'r') {
            r.fail(GROUP, name + " can be read by every user on this machine (" + mode + ")",
                    "chmod 600 " + file + " (or chmod 640 and chgrp it to Vane's group if a group must read it)");
            return;
        }
        String problem = readAs(file, kind);
        if (problem != null) {
            r.fail(GROUP, name + ": " + problem, readFix(file, kind));
            return;
        }
        r.pass(GROUP, name + ": present and readable" + (mode == null ? "" : " (" + mode + ")"));
    }

    private static String mode(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            return PosixFilePermissions.toString(p);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** Reads the file as Vane will at start-up; the problem, or null when it reads. */
    private static String readAs(Path file, Kind kind) {
        try {
            switch (kind) {
                case PASSWORD_FILE -> PasswordFile.load(file);
                case ACL_FILE -> AclFile.load(file);
                case CERTFILE, CAFILE -> ServerCertificate.readChain(file);
                case KEYFILE -> ServerCertificate.readKey(file);
                default -> throw new IllegalStateException(kind.name());
            }
            return null;
        } catch (SecurityFileException | ServerCertificate.CertificateProblem e) {
            return e.getMessage();
        }
    }

    private static String missingFix(Path file, Kind kind) {
        return switch (kind) {
            case PASSWORD_FILE -> "create it with: vane passwd -c " + file + " USER (or correct the path in the config)";
            case ACL_FILE -> "write the ACL file (see docs/weewx-belchertown.md) or correct the path in the config";
            case CERTFILE, KEYFILE -> "correct the path, or make a certificate: vane cert --dir "
                    + (file.getParent() == null ? "." : file.getParent()) + " HOSTNAME";
            case CAFILE -> "correct the path, or remove cafile if clients need no certificates";
        };
    }

    private static String readFix(Path file, Kind kind) {
        return switch (kind) {
            case PASSWORD_FILE -> "each line must be user:hash; hash plain-text passwords with: vane passwd -U " + file;
            case ACL_FILE -> "correct the line named above";
            default -> "write the file in PEM, as certbot and vane cert do";
        };
    }
}
