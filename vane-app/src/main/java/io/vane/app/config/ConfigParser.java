package io.vane.app.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads a mosquitto.conf-style file into a frozen {@link VaneConfig}, keeping Mosquitto's rules:
 * one {@code option value...} per line, {@code #} comments, {@code listener PORT [ADDRESS]} opening a
 * section for listener options, {@code include_dir} reading a directory's {@code *.conf} files in
 * byte order, and relative paths meaning the working directory. Every bad line is reported, all in
 * one {@link ConfigException} naming each file and line and saying what to write instead; options
 * Vane accepts without applying become start-up notices ({@link AppSettings#notices()}).
 *
 * <p>Two deliberate departures, both only where Mosquitto would mis-read a file: a line whose first
 * non-blank character is {@code #} is a comment (Mosquitto reports an unknown option), and
 * {@code bind_address} after a {@code listener} line is an error (Mosquitto applies it to a second,
 * default listener).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ConfigParser {

    private final Path workingDirectory;
    private final Integer commandLinePort;
    /** The user Vane runs as, which the {@code user} option is checked against. */
    private final String runningUser;

    /** A parser resolving relative paths against the process's working directory. */
    public ConfigParser() {
        this(Path.of("").toAbsolutePath(), null, System.getProperty("user.name", ""));
    }

    private ConfigParser(Path workingDirectory, Integer commandLinePort, String runningUser) {
        this.workingDirectory = workingDirectory;
        this.commandLinePort = commandLinePort;
        this.runningUser = runningUser;
    }

    /** A parser that checks {@code user} as if Vane ran as {@code user} (tests say who). */
    ConfigParser withRunningUser(String user) {
        return new ConfigParser(workingDirectory, commandLinePort, user);
    }

    /** Where the store is without a config file: this folder of the working directory. */
    public static final String NO_CONFIG_DATA_FOLDER = "vane-data";

    /** persistent_client_expiration without a config file: a week. */
    static final long NO_CONFIG_SESSION_EXPIRY_SECONDS = 7 * 24 * 3600;

    /** Parses {@code file} with the default parser. */
    public static VaneConfig parse(Path file) throws ConfigException {
        return new ConfigParser().read(file);
    }

    /** A parser resolving relative paths (the file itself, include_dir, log file...) against {@code dir}. */
    public ConfigParser withWorkingDirectory(Path dir) {
        return new ConfigParser(dir.toAbsolutePath(), commandLinePort, runningUser);
    }

    /**
     * A parser that applies {@code vane -p PORT} like {@code mosquitto -p}: as if the file ended with
     * {@code port PORT}, so the default listener gets that port (and exists even next to explicit
     * listeners).
     */
    public ConfigParser withCommandLinePort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be from 1 to 65535, got " + port);
        }
        return new ConfigParser(workingDirectory, port, runningUser);
    }

    /**
     * The built-in defaults used without a config file: MQTT on 1883 (or the command-line port) and
     * WebSockets + HTTP on 9001, where the dashboard and Belchertown pages connect.
     */
    public VaneConfig defaults() {
        ConfigDraft draft = new ConfigDraft(workingDirectory);
        draft.defaultListener.port = commandLinePort;
        // A demo run must not keep every visitor's persistent session forever (Mosquitto's default).
        draft.broker.persistentClientExpiration(NO_CONFIG_SESSION_EXPIRY_SECONDS);
        // Nothing acknowledged is lost, even on a first try: data goes to a folder next to where Vane runs.
        draft.broker.persistence(true);
        draft.broker.persistenceLocation(workingDirectory.resolve(NO_CONFIG_DATA_FOLDER));
        VaneConfig mqttOnly = draft.freeze(null);
        java.util.List<io.vane.transport.ListenerConfig> listeners = new java.util.ArrayList<>(mqttOnly.listeners());
        listeners.add(io.vane.transport.ListenerConfig.websockets(9001));
        return mqttOnly.withListeners(listeners);
    }

    /** Reads {@code file}, its include_dir files, and returns the frozen result. */
    public VaneConfig read(Path file) throws ConfigException {
        ConfigDraft draft = new ConfigDraft(workingDirectory);
        draft.runningUser = runningUser;
        readFile(file, draft, true);
        // Measured on mosquitto 2.0.11: -p PORT with a file that has no listener is local-only mode on PORT.
        draft.fileHasListener = !draft.listeners.isEmpty() || draft.defaultListener.configured();
        if (commandLinePort != null) {
            draft.defaultListener.port = commandLinePort;
        }
        int readingProblems = draft.problems.size();
        PluginOptions.check(draft);
        List<io.vane.broker.bridge.BridgeSettings> bridges = draft.freezeBridges(hostName());
        if (draft.problems.size() > readingProblems) {
            // A section's own problems (found once it is complete) go where the section is.
            draft.problems.sort(java.util.Comparator.comparing((ConfigException e) -> draft.fileOrder.indexOf(e.file()))
                    .thenComparingInt(ConfigException::line));
        }
        if (!draft.problems.isEmpty()) {
            throw ConfigException.of(draft.problems);
        }
        VaneConfig config = draft.freeze(file);
        return bridges.isEmpty() ? config : config.withApp(config.app().withBridges(bridges));
    }

    /** This machine's name, as Mosquitto's default bridge client id uses it (gethostname). */
    static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            String env = System.getenv("HOSTNAME");
            return env != null && !env.isEmpty() ? env : "localhost";
        }
    }

    private void readFile(Path file, ConfigDraft draft, boolean main) throws ConfigException {
        List<String> lines;
        try {
            lines = Files.readAllLines(workingDirectory.resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            if (main) {
                throw new ConfigException(file, 0, "cannot read the file (" + describe(e) + ")");
            }
            draft.problems.add(new ConfigException(file, 0, "cannot read the file (" + describe(e) + ")"));
            return;
        }
        draft.fileOrder.add(file);
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String[] parts = text.split("[ \t]+", 2);
            int sign = parts[0].indexOf('=');
            if (sign > 0 && Options.find(parts[0].substring(0, sign)).isPresent()) {
                // "allow_anonymous=false": Mosquitto has no '='; the suggestion keeps the user's value.
                String value = (parts[0].substring(sign + 1) + (parts.length > 1 ? " " + parts[1] : "")).strip();
                draft.problems.add(new ConfigException(file, i + 1, parts[0].substring(0, sign) + " takes its value"
                        + " after a space, without '='; write " + parts[0].substring(0, sign) + " " + value));
                continue;
            }
            String name = parts[0];
            String rest = parts.length > 1 ? parts[1] : "";
            int line = i + 1;
            draft.where = file + ":" + line;
            draft.file = file;
            draft.line = line;
            try {
                switch (name) {
                    case "listener" -> openListener(draft, rest, file + ":" + line);
                    case "connection" -> openBridge(draft, rest, file, line);
                    case "include_dir" -> includeDir(file, line, rest, draft, main);
                    default -> option(name).handler.apply(draft, rest);
                }
            } catch (ValueProblem e) {
                draft.problems.add(new ConfigException(file, line, e.getMessage()));
            }
        }
    }

    private static Option option(String name) throws ValueProblem {
        Optional<Option> option = Options.find(name);
        if (option.isPresent()) {
            return option.get();
        }
        Optional<String> closest = Suggestion.closest(name, Options.suggestable());
        throw new ValueProblem("unknown option '" + name + "'; write "
                + closest.orElse("one of " + String.join(", ", Options.supported())));
    }

    private static void openListener(ConfigDraft draft, String rest, String where) throws ValueProblem {
        List<String> words = new java.util.ArrayList<>();
        for (String word : rest.isEmpty() ? new String[0] : rest.split("[ \t]+")) {
            if (word.startsWith("#")) {
                break;
            }
            words.add(word);
        }
        int port = Value.integer(1, 65535, "1883").parse("listener", words.isEmpty() ? "" : words.get(0));
        String address = words.size() > 1 ? words.get(1) : null;
        if (words.size() > 2) {
            throw new ValueProblem("listener takes a port and an optional bind address, got '" + rest
                    + "'; write e.g. listener 1883 127.0.0.1");
        }
        for (ListenerDraft other : draft.listeners) {
            if (other.port == port && java.util.Objects.equals(other.bindAddress, address)) {
                throw new ValueProblem("listener " + rest + " is already defined at " + other.openedAt
                        + "; write a different port, or put both sets of options under one listener line");
            }
        }
        ListenerDraft listener = new ListenerDraft(port, address, where);
        draft.listeners.add(listener);
        draft.current = listener;
    }

    /** {@code connection NAME} opens a bridge section: the bridge options after it belong to it. */
    private static void openBridge(ConfigDraft draft, String rest, Path file, int line) throws ValueProblem {
        String name = rest.split("[ \t]+#", 2)[0].strip();
        if (name.isEmpty()) {
            throw new ValueProblem("connection needs a value; write e.g. connection house-to-public");
        }
        if (name.contains(" ") || name.contains("\t")) {
            throw new ValueProblem("connection takes one name for the bridge, got '" + rest
                    + "'; write e.g. connection house-to-public");
        }
        for (BridgeDraft other : draft.bridges) {
            if (other.name.equals(name)) {
                throw new ValueProblem("connection " + name + " is already defined at " + other.file + ":" + other.line
                        + "; write a different name");
            }
        }
        draft.bridge = new BridgeDraft(name, file, line);
        draft.bridges.add(draft.bridge);
    }

    /** Mosquitto reads include_dir only in the main file, and reads files sorted by byte order. */
    private void includeDir(Path file, int line, String rest, ConfigDraft draft, boolean main)
            throws ValueProblem, ConfigException {
        if (!main) {
            throw new ValueProblem("include_dir works only in the main config file (as in Mosquitto);"
                    + " write it in the main file");
        }
        if (rest.isEmpty()) {
            throw new ValueProblem("include_dir needs a directory; write e.g. include_dir /etc/vane/conf.d");
        }
        Path dir = Path.of(rest);
        Path absolute = workingDirectory.resolve(dir);
        if (!Files.isDirectory(absolute)) {
            throw new ValueProblem("include_dir '" + rest + "' is not a directory; write the path of a"
                    + " directory holding *.conf files");
        }
        List<String> names;
        try (Stream<Path> entries = Files.list(absolute)) {
            names = entries.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".conf")).sorted().toList();
        } catch (IOException e) {
            throw new ValueProblem("cannot list include_dir '" + rest + "' (" + describe(e) + ")");
        }
        for (String name : names) {
            readFile(dir.resolve(name), draft, false);
        }
    }

    private static String describe(IOException e) {
        return e instanceof java.nio.file.NoSuchFileException ? "no such file"
                : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
