package io.vane.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.broker.security.PasswordFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** vane passwd mirrors mosquitto_passwd's flags and writes files Mosquitto reads. */
class PasswdCommandTest {
    @TempDir
    Path dir;
    final StringWriter err = new StringWriter();

    private int passwd(String... args) {
        CommandLine cl = VaneCommand.commandLine();
        cl.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "passwd";
        System.arraycopy(args, 0, all, 1, args.length);
        return cl.execute(all);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void createAddUpdateAndDelete() throws Exception {
        Path file = dir.resolve("pwfile");
        assertThat(passwd("-c", "-b", file.toString(), "weemqtt", "weepass")).isZero();
        assertThat(passwd("-b", file.toString(), "bob", "secret")).isZero();
        assertThat(passwd("-b", file.toString(), "weemqtt", "newpass")).isZero();
        PasswordFile pw = PasswordFile.load(file);
        assertThat(pw.size()).isEqualTo(2);
        assertThat(pw.check("weemqtt", b("newpass"))).isTrue();
        assertThat(Files.readString(file)).contains("weemqtt:$7$101$");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(passwd("-D", file.toString(), "bob")).isZero();
        assertThat(PasswordFile.load(file).size()).isEqualTo(1);
    }

    @Test
    void updateHashesAPlainTextFileLikeTheSeedDoes() throws Exception {
        Path file = dir.resolve("pwfile");
        Files.writeString(file, "weemqtt:weepass\n");
        assertThat(passwd("-U", file.toString())).isZero();
        assertThat(PasswordFile.load(file).check("weemqtt", b("weepass"))).isTrue();
        String once = Files.readString(file);
        assertThat(passwd("-U", file.toString())).isZero();
        assertThat(Files.readString(file)).as("running -U twice changes nothing").isEqualTo(once);
    }

    @Test
    void sha512OnRequestAndClearErrors() throws Exception {
        Path file = dir.resolve("pwfile");
        assertThat(passwd("-H", "sha512", "-c", "-b", file.toString(), "old", "pw")).isZero();
        assertThat(Files.readString(file)).startsWith("old:$6$");
        assertThat(passwd("-b", dir.resolve("missing").toString(), "u", "p")).isEqualTo(1);
        assertThat(err.toString()).contains("Use -c to create it");
        assertThat(passwd("-H", "md5", "-b", file.toString(), "u", "p")).isEqualTo(1);
    }

    @Test
    void aFileVaneWroteIsAcceptedByMosquittoPasswd() throws Exception {
        Path file = dir.resolve("pwfile");
        assertThat(passwd("-c", "-b", file.toString(), "weemqtt", "weepass")).isZero();
        Process p = new ProcessBuilder("/usr/bin/mosquitto_passwd", "-b", file.toString(), "other", "pw")
                .redirectErrorStream(true).start();
        assertThat(p.waitFor()).isZero();
        PasswordFile pw = PasswordFile.load(file);
        assertThat(pw.check("weemqtt", b("weepass"))).isTrue();
        assertThat(pw.check("other", b("pw"))).isTrue();
    }
}
