package io.vane.it.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.testkit.Poll;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real vane process under a pretend systemd: the test binds the notify socket, passes it as
 * NOTIFY_SOCKET with a watchdog interval, and reads what Vane says through start, SIGHUP and SIGTERM.
 * SIGHUP also reopens the log file, as logrotate's postrotate needs.
 */
class SystemdNotifyTest {
    static final Path JAR = Path.of("..", "vane-app", "target", "vane-app-all.jar");

    @TempDir
    Path dir;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void signal(Process p, String name) throws Exception {
        new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).start().waitFor(5, TimeUnit.SECONDS);
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void readyWatchdogReloadingAndStoppingReachTheNotifySocket() throws Exception {
        assertThat(JAR).as("built by the reactor before vane-it runs").exists();
        int port = freePort();
        Path log = dir.resolve("vane.log");
        Path conf = dir.resolve("vane.conf");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\nlog_dest file " + log + "\n");
        try (NotifySocket systemd = new NotifySocket(dir.resolve("notify.sock"))) {
            ProcessBuilder pb = new ProcessBuilder("java", "-Xmx64m", "-jar", JAR.toString(), "-c", conf.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.txt").toFile());
            pb.environment().put("NOTIFY_SOCKET", systemd.path.toString());
            pb.environment().put("WATCHDOG_USEC", "1000000"); // fed every 0.5 s
            Process vane = pb.start();
            try {
                String ready = systemd.await("READY=1", Duration.ofSeconds(30));
                assertThat(ready).as("seen: " + systemd.seen()).isNotNull()
                        .contains("MAINPID=" + vane.pid() + "\n")
                        .contains("STATUS=Listening on port " + port + "; 0 clients connected\n");
                assertThat(accepts(port)).as("listening when READY=1 arrives").isTrue();
                assertThat(systemd.seen().get(0)).as("first said").startsWith("STATUS=Starting");
                assertThat(systemd.await("WATCHDOG=1", Duration.ofSeconds(10))).isNotNull();
                assertThat(systemd.await("WATCHDOG=1", Duration.ofSeconds(10))).as("fed again").isNotNull();

                // logrotate moves the file away, then signals; Vane writes to a new file by the old name.
                Path rotated = dir.resolve("vane.log.1");
                Files.move(log, rotated);
                signal(vane, "HUP");
                String reloading = systemd.await("RELOADING=1", Duration.ofSeconds(10));
                assertThat(reloading).isNotNull().containsPattern("(?m)^MONOTONIC_USEC=\\d+$");
                assertThat(systemd.await("READY=1", Duration.ofSeconds(10))).as("ready again after the reload")
                        .isNotNull();
                assertThat(Poll.until(Duration.ofSeconds(10), () -> read(log).contains("Reloading config (SIGHUP)")))
                        .as("the new file gets the lines").isTrue();
                assertThat(read(rotated)).doesNotContain("Reloading config").contains("running");

                signal(vane, "TERM");
                String stopping = systemd.await("STOPPING=1", Duration.ofSeconds(15));
                assertThat(stopping).isNotNull().contains("STATUS=Stopping");
                assertThat(vane.waitFor(15, TimeUnit.SECONDS)).isTrue();
                assertThat(vane.exitValue()).isZero();
            } finally {
                vane.destroy();
                if (!vane.waitFor(15, TimeUnit.SECONDS)) {
                    vane.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
    }

    @Test
    void aFailedStartSaysWhyInStatusAndNeverReady() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"));
                NotifySocket systemd = new NotifySocket(dir.resolve("notify.sock"))) {
            Path conf = dir.resolve("vane.conf");
            Files.writeString(conf, "listener " + busy.getLocalPort() + " 127.0.0.1\n");
            ProcessBuilder pb = new ProcessBuilder("java", "-Xmx64m", "-jar", JAR.toString(), "-c", conf.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.txt").toFile());
            pb.environment().put("NOTIFY_SOCKET", systemd.path.toString());
            Process vane = pb.start();
            try {
                assertThat(vane.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(vane.exitValue()).isEqualTo(1);
                String status = systemd.await("STATUS=Error:", Duration.ofSeconds(5));
                assertThat(status).as("seen: " + systemd.seen()).isNotNull()
                        .contains("port " + busy.getLocalPort()).contains("Address already in use");
                assertThat(systemd.seen()).noneMatch(d -> d.contains("READY=1"));
            } finally {
                vane.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (Exception e) {
            return "";
        }
    }
}
