package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.packet.SubAck;
import io.vane.protocol.packet.Subscribe;
import io.vane.protocol.packet.Subscription;
import io.vane.testkit.Poll;
import io.vane.testkit.RawClient;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vane command as systemd runs it: a real process from the built jar. SIGHUP re-reads the ACL
 * without dropping connections; SIGTERM stops it with exit code 0.
 */
class ProcessSignalsTest {
    static final Path JAR = Path.of("..", "vane-app", "target", "vane-app-all.jar");

    @TempDir
    Path dir;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static int subscribe(RawClient c, int id, String filter) {
        c.send(new Subscribe(id, List.of(Subscription.of(filter, 0)), Properties.NONE));
        return ((SubAck) c.read(Duration.ofSeconds(5))).reasonCodes().get(0);
    }

    private static void signal(Process p, String name) throws Exception {
        new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).start().waitFor(5, TimeUnit.SECONDS);
    }

    @Test
    void sighupReloadsTheAclAndSigtermExitsZero() throws Exception {
        assertThat(JAR).as("built by the reactor before vane-it runs").exists();
        int port = freePort();
        Path acl = dir.resolve("acl");
        Files.writeString(acl, "topic read a/#\n");
        Path conf = dir.resolve("vane.conf");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\nacl_file " + acl + "\n"
                + "log_dest file " + dir.resolve("vane.log") + "\n");
        Process vane = new ProcessBuilder("java", "-Xmx64m", "-jar", JAR.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.txt").toFile()).start();
        try {
            assertThat(Poll.until(Duration.ofSeconds(20), () -> {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    return true;
                } catch (Exception e) {
                    return false;
                }
            })).as("vane started").isTrue();
            try (RawClient c = RawClient.open("127.0.0.1", port)) {
                assertThat(c.connect(MqttVersion.V3_1_1, "hup").reasonCode()).isZero();
                assertThat(subscribe(c, 1, "b/#")).isEqualTo(0x80);
                Files.writeString(acl, "topic read b/#\n");
                signal(vane, "HUP");
                assertThat(Poll.until(Duration.ofSeconds(10), () -> {
                    try {
                        return Files.readString(dir.resolve("vane.log")).contains("Security settings reloaded.");
                    } catch (Exception e) {
                        return false;
                    }
                })).isTrue();
                assertThat(subscribe(c, 2, "b/#")).as("same connection, new rules").isZero();
            }
            signal(vane, "TERM");
            assertThat(vane.waitFor(15, TimeUnit.SECONDS)).isTrue();
            assertThat(vane.exitValue()).isZero();
            assertThat(Files.readString(dir.resolve("vane.log"))).contains("terminating");
        } finally {
            vane.destroyForcibly();
        }
    }
}
