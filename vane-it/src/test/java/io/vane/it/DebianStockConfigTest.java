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
