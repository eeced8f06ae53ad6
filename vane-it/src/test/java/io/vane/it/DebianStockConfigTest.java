package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.protocol.MqttVersion;
import io.vane.testkit.RawClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migration starts where a Debian user is: {@code apt-get install mosquitto} leaves
 * /etc/mosquitto/mosquitto.conf (pid_file, persistence, persistence_location, log_dest file,
 * include_dir), and {@code vane -c /etc/mosquitto/mosquitto.conf} runs it unchanged (here on a free port
 * with {@code -p}, as {@code mosquitto -p} would). pid_file is written, or a warning says why not.
 */
class DebianStockConfigTest {
    static final Path STOCK = Path.of("/etc/mosquitto/mosquitto.conf");

    @TempDir
    Path dir;

    @Test
    void debiansStockMosquittoConfStartsUnchanged() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(STOCK), "Debian's mosquitto package is installed by .ci/run");
        int port = VaneProcess.freePort();
        Path log = Path.of("/var/log/mosquitto/mosquitto.log");
        long logBefore = Files.exists(log) ? Files.size(log) : 0;
        // persistence true in /var/lib/mosquitto/: Vane's store goes there; removed after unless it was there.
        Path store = Path.of("/var/lib/mosquitto/vane-store.db");
        boolean storeExisted = Files.exists(store);
        try (VaneProcess vane = VaneProcess.run(dir, port, "-c", STOCK.toString(), "-p", Integer.toString(port))) {
            try (RawClient c = RawClient.open("127.0.0.1", port)) {
                // The stock file has no listener: local-only mode on -p's port, this machine's clients
                // anonymously, as mosquitto -c stock -p PORT does (decision 0016).
                assertThat(c.connect(MqttVersion.V3_1_1, "stock-conf").reasonCode()).isZero();
            }
            assertThat(vane.terminate()).as("exit code after SIGTERM").isZero();
        }
        // The stock file logs to Mosquitto's own log file, as Mosquitto would.
        String written = Files.readString(log).substring((int) Math.min(logBefore, Files.size(log)));
        try {
            assertThat(written).contains("Config loaded from " + STOCK, "running", "terminating",
                    "persistent sessions in " + store);
        } finally {
            if (!storeExisted) {
                for (String suffix : new String[] {"", "-wal", "-shm"}) {
                    Files.deleteIfExists(Path.of(store + suffix));
                }
            }
        }
    }

    /**
     * The seed's setup: Debian's stock mosquitto.conf with its include_dir holding the how-to's local.conf
     * (allow_anonymous true, password_file, acl_file, listeners 1883 mqtt and 9001 websockets). Copied into a
     * temporary /etc/mosquitto so nothing of the machine's is touched; paths and ports are the only edits.
     */
    @Test
    void stockConfPlusTheSeedsLocalConfStartsUnchangedAndAppliesItsAcl() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(STOCK), "Debian's mosquitto package is installed by .ci/run");
        Path etc = Files.createDirectories(dir.resolve("etc/mosquitto/conf.d"));
        Files.createDirectories(dir.resolve("var/lib/mosquitto"));
        Files.createDirectories(dir.resolve("var/log/mosquitto"));
        Files.createDirectories(dir.resolve("run/mosquitto"));
        String stock = Files.readString(STOCK).replace("/etc/mosquitto/", dir + "/etc/mosquitto/")
                .replace("/var/", dir + "/var/").replace("/run/", dir + "/run/");
        Path main = dir.resolve("etc/mosquitto/mosquitto.conf");
        Files.writeString(main, stock);
        int mqtt = VaneProcess.freePort();
        int ws = VaneProcess.freePort();
        String local = resource("local.conf").replace("/etc/mosquitto/", dir + "/etc/mosquitto/")
                .replace("listener 1883", "listener " + mqtt).replace("listener 9001", "listener " + ws);
        Files.writeString(etc.resolve("local.conf"), local);
        Files.writeString(dir.resolve("etc/mosquitto/acl"), resource("acl"));
        Files.writeString(dir.resolve("etc/mosquitto/pwfile"), resource("pskfile"));
        io.vane.testkit.Processes.Result hashed = io.vane.testkit.Processes.run(20, "mosquitto_passwd", "-U",
                dir.resolve("etc/mosquitto/pwfile").toString());
        assertThat(hashed.exitCode()).as(hashed.stderr()).isZero();
        io.vane.app.config.VaneConfig config = new io.vane.app.config.ConfigParser().read(main);
        assertThat(config.app().notices()).as("nothing of the seed's setup is ignored").isEmpty();
        try (io.vane.app.Vane vane = io.vane.app.Vane.start(config)) {
            try (RawClient c = RawClient.open("127.0.0.1", mqtt)) {
                // allow_anonymous true: anonymous clients connect; the ACL then says what they may do.
                assertThat(c.connect(MqttVersion.V3_1_1, "page").reasonCode()).isZero();
            }
            io.vane.testkit.Processes.Result refused = io.vane.testkit.Processes.run(10, "mosquitto_pub", "-h",
                    "127.0.0.1", "-p", Integer.toString(mqtt), "-u", "weemqtt", "-P", "wrong", "-t", "weather/loop",
                    "-m", "{}");
            assertThat(refused.exitCode()).as("a wrong password is refused").isNotZero();
        }
    }

    private static String resource(String name) throws java.io.IOException {
        try (java.io.InputStream in = DebianStockConfigTest.class.getResourceAsStream("/seed/" + name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void pidFileIsWrittenAtStartAndRemovedAtStop() throws Exception {
        int port = VaneProcess.freePort();
        Path pid = dir.resolve("vane.pid");
        VaneProcess vane = VaneProcess.start(dir, port, "listener " + port + " 127.0.0.1\npid_file " + pid + "\n");
        try {
            assertThat(io.vane.testkit.Poll.until(Duration.ofSeconds(10), () -> Files.exists(pid))).isTrue();
            assertThat(Files.readString(pid)).isEqualTo(vane.pid() + "\n");
            assertThat(vane.terminate()).isZero();
            assertThat(pid).doesNotExist();
        } finally {
            vane.close();
        }
    }

    @Test
    void aPidFileThatCannotBeWrittenIsAWarningNotAStop() throws Exception {
        int port = VaneProcess.freePort();
        try (VaneProcess vane = VaneProcess.start(dir, port, "listener " + port + " 127.0.0.1\npid_file "
                + dir.resolve("missing/vane.pid") + "\n")) {
            assertThat(vane.awaitOutput(Duration.ofSeconds(10), "cannot write it (no such directory); running"
                    + " without a pid file")).isTrue();
            assertThat(vane.isAlive()).isTrue();
        }
    }
}
