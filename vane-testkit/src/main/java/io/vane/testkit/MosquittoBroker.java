package io.vane.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's mosquitto on a free port on 127.0.0.1, as a reference to compare Vane with. */
public final class MosquittoBroker implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;

    private MosquittoBroker(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** Starts mosquitto with {@code listener PORT 127.0.0.1}, anonymous access and the extra lines. */
    public static MosquittoBroker start(List<String> extraConfig) {
        try {
            return start(freePort(), Files.createTempDirectory("vane-mosquitto"), extraConfig);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start mosquitto", e);
        }
    }

    /**
     * Starts mosquitto on {@code port} with its files in {@code dir}: a restart in the same folder finds
     * its persistence file and appends to its log.
     */
    public static MosquittoBroker start(int port, Path dir, List<String> extraConfig) {
        String binary = Processes.require("mosquitto");
        try {
            Path conf = dir.resolve("mosquitto.conf");
            StringBuilder sb = new StringBuilder();
            sb.append("listener ").append(port).append(" 127.0.0.1\n");
            // stdout, not a file: mosquitto started as root writes files as the mosquitto user, which cannot
            // write a test's folder. stdbuf makes its stdout line-buffered, so the log is readable at once.
            sb.append("allow_anonymous true\nlog_dest stdout\n");
            if ("root".equals(System.getProperty("user.name"))
                    && extraConfig.stream().noneMatch(l -> l.strip().startsWith("user "))) {
                // Started as root (CI), mosquitto becomes its own user before it reads certificates and
                // persistence files, which live in the test's root-only folders: it stays root here.
                sb.append("user root\n");
            }
            sb.append("log_type all\n");
            extraConfig.forEach(l -> sb.append(l).append('\n'));
            Files.writeString(conf, sb.toString(), StandardCharsets.UTF_8);
            Process p = new ProcessBuilder(Processes.require("stdbuf"), "-oL", binary, "-c", conf.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.txt").toFile())).start();
            MosquittoBroker broker = new MosquittoBroker(p, port, dir);
            if (!Poll.until(Duration.ofSeconds(10), broker::accepts)) {
                broker.close();
                throw new IllegalStateException("mosquitto did not start: " + broker.log());
            }
            return broker;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start mosquitto", e);
        }
    }

    private boolean accepts() {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("stdout.txt"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** SIGKILL (kill -9) to this mosquitto's own process; waits until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** The folder of its config, log and persistence file. */
    public Path dir() {
        return dir;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
