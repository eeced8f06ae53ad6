package io.vane.it;

import io.vane.testkit.Poll;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Vane as a user runs it: a child process from the built jar with the launcher's own JVM options (read
 * from the {@code vane} script, so the heap a hostile client must not exhaust is the one users get).
 * Stopped by the pid this class recorded, never by name.
 */
final class VaneProcess implements AutoCloseable, Killable {
    static final Path JAR = Path.of("..", "vane-app", "target", "vane-app-all.jar");
    static final Path LAUNCHER = Path.of("..", "vane");
    /** The class-data-sharing archive the build makes for the jar, which the launcher starts with. */
    static final Path CDS_ARCHIVE = Path.of("..", "vane-app", "target", "vane.jsa");

    private final Process process;
    private final Path dir;
    final int port;

    private VaneProcess(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** A free port on 127.0.0.1 for the config to listen on. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JVM options of the launcher's default ({@code default_opts=...} in ./vane). */
    static List<String> launcherJvmOptions() {
        try {
            Matcher m = Pattern.compile("(?m)^default_opts=\"([^\"]*)\"").matcher(Files.readString(LAUNCHER));
            if (!m.find()) {
                throw new IllegalStateException("no default_opts line in " + LAUNCHER);
            }
            return Arrays.asList(m.group(1).trim().split("\\s+"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the launcher adds when the archive is there and newer than the jar (as in ./vane). */
    static List<String> cdsOptions() {
        try {
            if (Files.exists(CDS_ARCHIVE)
                    && Files.getLastModifiedTime(CDS_ARCHIVE).compareTo(Files.getLastModifiedTime(JAR)) > 0) {
                return List.of("-XX:SharedArchiveFile=" + CDS_ARCHIVE, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
            }
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts Vane with {@code config} (written to dir/vane.conf; it should listen on {@code port}) and
     * waits until the port accepts connections.
     */
    static VaneProcess start(Path dir, int port, String config) throws IOException {
        Path conf = dir.resolve("vane.conf");
        Files.writeString(conf, config);
        return run(dir, port, "-c", conf.toString());
    }

    /** Starts {@code vane ARGS...} (e.g. {@code -c /etc/mosquitto/mosquitto.conf -p PORT}) and waits for {@code port}. */
    static VaneProcess run(Path dir, int port, String... args) throws IOException {
        return runUnder(List.of(), dir, port, args);
    }

    /**
     * Like {@link #run}, with the JVM started under {@code prefix} (e.g. {@code prlimit --fsize=N}, so the
     * process meets a full disk).
     */
    static VaneProcess runUnder(List<String> prefix, Path dir, int port, String... args) throws IOException {
        return runWith(Map.of(), prefix, dir, port, args);
    }

    /**
     * Like {@link #runUnder}, with {@code env} added to the child's environment (e.g. {@code LD_PRELOAD} of
     * a test-only file layer).
     */
    static VaneProcess runWith(Map<String, String> env, List<String> prefix, Path dir, int port, String... args)
            throws IOException {
        return runWith(env, prefix, "127.0.0.1", dir, port, args);
    }

    /**
     * Like {@link #runWith(Map, List, Path, int, String...)}, waiting for the port on {@code host}: a Vane
     * started in a network namespace ({@code ip netns exec NS}) answers on that namespace's address.
     */
    static VaneProcess runWith(Map<String, String> env, List<String> prefix, String host, Path dir, int port,
            String... args) throws IOException {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " missing: the reactor builds vane-app before vane-it");
        }
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(launcherJvmOptions());
        cmd.addAll(cdsOptions());
        cmd.addAll(List.of("-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        // Appended: a restart in the same folder keeps the earlier runs' lines.
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.txt").toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        VaneProcess vane = new VaneProcess(p, dir, port);
        boolean up = Poll.until(Duration.ofSeconds(30), () -> !p.isAlive() || accepts(host, port));
        if (!up || !p.isAlive()) {
            vane.close();
            throw new IllegalStateException("vane did not start on port " + port + ":\n" + vane.output());
        }
        return vane;
    }

    private static boolean accepts(String host, int port) {
        try (Socket s = new Socket(host, port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** Everything the process wrote to stdout and stderr so far (the log, unless the config sends it elsewhere). */
    String output() {
        try {
            return Files.readString(dir.resolve("stdout.txt"));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** Waits until the output contains {@code text}. */
    boolean awaitOutput(Duration timeout, String text) {
        return Poll.until(timeout, () -> output().contains(text));
    }

    /** SIGTERM and the exit code, or -1 if it did not exit within 15 s. */
    int terminate() throws InterruptedException {
        process.destroy();
        return process.waitFor(15, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    /** SIGKILL (kill -9) to the recorded pid: no shutdown hook, no flush; waits until it is gone. */
    @Override
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(15, TimeUnit.SECONDS);
    }

    /** SIGTERM, then SIGKILL after 15 s; both to the recorded pid only. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
