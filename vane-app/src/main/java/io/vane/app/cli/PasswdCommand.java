package io.vane.app.cli;

import io.vane.broker.security.PasswordHash;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vane passwd}: manages password files the way mosquitto_passwd does, with the same flags. */
@Command(name = "passwd", mixinStandardHelpOptions = true,
        description = "Manage a password file, like mosquitto_passwd: add or update a user, delete one,"
                + " or hash a plain-text user:password file.",
        footer = {"", "Examples:",
            "  vane passwd -c /etc/mosquitto/pwfile weemqtt      create the file, ask for the password",
            "  vane passwd -b /etc/mosquitto/pwfile weemqtt PASS  add or update without asking",
            "  vane passwd -D /etc/mosquitto/pwfile weemqtt      delete the user",
            "  vane passwd -U /etc/mosquitto/pwfile              hash every plain-text password in place"})
final class PasswdCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "-c", description = "Create a new password file, overwriting an existing one.")
    boolean create;

    @Option(names = "-D", description = "Delete the user instead of adding or updating it.")
    boolean delete;

    @Option(names = "-b", description = "Batch mode: take the password from the command line.")
    boolean batch;

    @Option(names = "-U", description = "Update a plain-text user:password file to hashed passwords.")
    boolean update;

    @Option(names = "-H", paramLabel = "HASH", defaultValue = "sha512-pbkdf2",
            description = "Hash to write: sha512-pbkdf2 (default, Mosquitto 2.0's) or sha512 (Mosquitto 1.6).")
    String hash;

    @Option(names = "-I", paramLabel = "ITERATIONS", defaultValue = "" + PasswordHash.DEFAULT_ITERATIONS,
            description = "PBKDF2 iterations (default ${DEFAULT-VALUE}).")
    int iterations;

    @Parameters(index = "0", paramLabel = "passwordfile")
    Path file;

    @Parameters(index = "1..*", paramLabel = "username [password]", arity = "0..2")
    List<String> rest = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (!hash.equals("sha512-pbkdf2") && !hash.equals("sha512")) {
            err.println("Error: Unknown hash type '" + hash + "'; use sha512-pbkdf2 or sha512.");
            return 1;
        }
        if (update) {
            return updateAll(err);
        }
        if (rest.isEmpty()) {
            err.println("Error: a username is needed; see 'vane passwd --help'.");
            return 1;
        }
        String user = rest.get(0);
        if (user.contains(":")) {
            err.println("Error: Username must not contain the ':' character.");
            return 1;
        }
        List<String> lines = create ? new ArrayList<>() : readExisting(err);
        if (lines == null) {
            return 1;
        }
        lines.removeIf(l -> l.startsWith(user + ":"));
        if (!delete) {
            String password = password(err);
            if (password == null) {
                return 1;
            }
            lines.add(user + ":" + hash(password));
        } else if (lines.size() == readExistingCount) {
            err.println("Warning: User " + user + " not found in password file.");
        }
        write(lines);
        return 0;
    }

    private int readExistingCount = -1;

    private List<String> readExisting(PrintWriter err) throws IOException {
        if (!Files.exists(file)) {
            err.println("Error: Unable to open file " + file + " for reading. Use -c to create it.");
            return null;
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        lines.removeIf(String::isBlank);
        readExistingCount = lines.size() - 1;
        return lines;
    }

    private String password(PrintWriter err) {
        if (batch) {
            if (rest.size() < 2) {
                err.println("Error: -b needs a password after the username.");
                return null;
            }
            return rest.get(1);
        }
        Console console = System.console();
        if (console == null) {
            err.println("Error: no terminal to ask for the password; use -b FILE USER PASSWORD.");
            return null;
        }
        char[] first = console.readPassword("Password: ");
        char[] second = console.readPassword("Reenter password: ");
        if (first == null || second == null || !new String(first).equals(new String(second))) {
            err.println("Error: Passwords do not match.");
            return null;
        }
        return new String(first);
    }

    private int updateAll(PrintWriter err) throws IOException {
        List<String> lines = readExisting(err);
        if (lines == null) {
            return 1;
        }
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (line.startsWith("#") || colon <= 0) {
                out.add(line);
                continue;
            }
            String password = line.substring(colon + 1);
            // Already hashed lines stay as they are, so running -U twice does no harm.
            out.add(password.startsWith("$") ? line : line.substring(0, colon + 1) + hash(password));
        }
        write(out);
        return 0;
    }

    private String hash(String password) {
        return hash.equals("sha512") ? PasswordHash.sha512(password).encoded()
                : PasswordHash.pbkdf2(password, iterations).encoded();
    }

    /** Writes the file readable by its owner only, as a secret should be. */
    private void write(List<String> lines) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
