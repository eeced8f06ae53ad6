package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.broker.security.PasswordHash;
import io.vane.testkit.MosquittoBroker;
import io.vane.testkit.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A password file Vane wrote is accepted by Debian's mosquitto broker (the other way round: PasswordFileTest). */
class PasswordInteropTest {
    @TempDir
    Path dir;

    @Test
    void mosquittoAcceptsAPasswordFileVaneWrote() throws Exception {
        Path file = dir.resolve("pwfile");
        Files.writeString(file, "weemqtt:" + PasswordHash.pbkdf2("weepass", PasswordHash.DEFAULT_ITERATIONS).encoded()
                + "\nold:" + PasswordHash.sha512("oldpass").encoded() + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        // Run as root stays root ("user root"): mosquitto would otherwise drop to its own user, which
        // may not read a 0600 file in the test's temporary folder.
        try (MosquittoBroker mosquitto = MosquittoBroker.start(List.of("user root", "password_file " + file,
                "allow_anonymous false"))) {
            String port = Integer.toString(mosquitto.port());
            Processes.Result ok = Processes.run(10, "mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-u", "weemqtt",
                    "-P", "weepass", "-t", "t", "-m", "x");
            assertThat(ok.exitCode()).as(ok.stderr() + mosquitto.log()).isZero();
            Processes.Result old = Processes.run(10, "mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-u", "old",
                    "-P", "oldpass", "-t", "t", "-m", "x");
            assertThat(old.exitCode()).as(old.stderr()).isZero();
            Processes.Result wrong = Processes.run(10, "mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-u",
                    "weemqtt", "-P", "nope", "-t", "t", "-m", "x");
            assertThat(wrong.exitCode()).isNotZero();
        }
    }
}
