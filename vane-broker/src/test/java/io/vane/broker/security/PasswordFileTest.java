package io.vane.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mosquitto's password formats, checked against files written by Debian's mosquitto_passwd. */
class PasswordFileTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Path mosquittoPasswd(String... args) throws Exception {
        Path file = dir.resolve("pwfile");
        String[] cmd = new String[args.length + 1];
        cmd[0] = "/usr/bin/mosquitto_passwd";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
        return file;
    }

    @Test
    void readsWhatMosquittoPasswdWritesByDefault() throws Exception {
        Path file = mosquittoPasswd("-c", "-b", dir.resolve("pwfile").toString(), "weemqtt", "weepass");
        assertThat(Files.readString(file)).startsWith("weemqtt:$7$101$");
        PasswordFile pw = PasswordFile.load(file);
        assertThat(pw.check("weemqtt", b("weepass"))).isTrue();
        assertThat(pw.check("weemqtt", b("wrong"))).isFalse();
    }

    @Test
    void readsMosquittoSha512Hashes() throws Exception {
        Path file = mosquittoPasswd("-H", "sha512", "-c", "-b", dir.resolve("pwfile").toString(), "old", "s3cret ü");
        assertThat(Files.readString(file)).startsWith("old:$6$");
        assertThat(PasswordFile.load(file).check("old", b("s3cret ü"))).isTrue();
    }

    @Test
    void convertsAPlainTextFileTheWayTheSeedDoes() throws Exception {
        Path file = dir.resolve("pwfile");
        Files.writeString(file, "weemqtt:weepass\n");
        mosquittoPasswd("-U", file.toString());
        assertThat(PasswordFile.load(file).check("weemqtt", b("weepass"))).isTrue();
    }

    @Test
    void argon2idHashesVerify() throws Exception {
        // The RFC 9106-style PHC string of "password" with salt "somesalt", m=64 KiB, t=2, p=1, made
        // by the reference argon2 tool.
        PasswordHash h = PasswordHash.parse(
                "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc");
        assertThat(h.matches(b("password"))).isTrue();
        assertThat(h.matches(b("Password"))).isFalse();
    }

    @Test
    void vaneWritesPbkdf2ThatMosquittoReads() throws Exception {
        Path file = dir.resolve("vane-pwfile");
        Files.writeString(file, "weemqtt:" + PasswordHash.pbkdf2("weepass", PasswordHash.DEFAULT_ITERATIONS).encoded()
                + "\n");
        assertThat(PasswordFile.load(file).check("weemqtt", b("weepass"))).isTrue();
        // mosquitto_passwd -D must find and delete the user in Vane's file: it parsed our line.
        mosquittoPasswd("-D", file.toString(), "weemqtt");
        assertThat(Files.readString(file)).doesNotContain("weemqtt");
    }

    @Test
    void unknownUsersGoThroughTheSameHashing() throws Exception {
        Path file = mosquittoPasswd("-c", "-b", dir.resolve("pwfile").toString(), "a", "pw");
        PasswordFile pw = PasswordFile.load(file);
        assertThat(pw.check("nobody", b("pw"))).isFalse();
        assertThat(pw.check(null, null)).isFalse();
        assertThat(pw.checks).isEqualTo(2);
    }

    @Test
    void legacySha512UsersCostWhatUnknownUsersCost() throws Exception {
        // Issue 11: $6$ users answered ~0.3 ms sooner than unknown ones (the dummy was a $7$ hash).
        Path file = dir.resolve("mixed");
        Files.writeString(file, "old:" + PasswordHash.sha512("pw1").encoded() + "\n"
                + "new:" + PasswordHash.pbkdf2("pw2", PasswordHash.DEFAULT_ITERATIONS).encoded() + "\n");
        PasswordFile pw = PasswordFile.load(file);
        assertThat(pw.costs()).containsExactlyInAnyOrder("SHA512", "PBKDF2/101");
        assertThat(pw.check("old", b("pw1"))).isTrue();
        java.util.List<String> known6 = pw.lastWork;
        assertThat(pw.check("old", b("wrong"))).isFalse();
        assertThat(pw.lastWork).isEqualTo(known6);
        assertThat(pw.check("new", b("pw2"))).isTrue();
        assertThat(pw.lastWork).isEqualTo(known6);
        assertThat(pw.check("nobody", b("pw1"))).isFalse();
        assertThat(pw.lastWork).as("an unknown user does the same hashing as a $6$ user").isEqualTo(known6);
        assertThat(pw.check("old", null)).isFalse();
        assertThat(pw.lastWork).isEqualTo(known6);

        Path only6 = dir.resolve("only6");
        Files.writeString(only6, "old:" + PasswordHash.sha512("pw1").encoded() + "\n");
        PasswordFile legacy = PasswordFile.load(only6);
        assertThat(legacy.costs()).as("a $6$ file's dummy is a $6$ hash").containsExactly("SHA512");
        legacy.check("nobody", b("x"));
        assertThat(legacy.lastWork).containsExactly("SHA512");
        printTiming(pw);
    }

    /** The figure for the closing note: known $6$, known $7$ and unknown users, median of many checks. */
    private static void printTiming(PasswordFile pw) {
        String[] users = {"old", "new", "nobody"};
        long[][] t = new long[3][2001];
        for (int i = 0; i < 2001; i++) {
            for (int u = 0; u < 3; u++) {
                long s = System.nanoTime();
                pw.check(users[u], b("wrong"));
                t[u][i] = System.nanoTime() - s;
            }
        }
        StringBuilder out = new StringBuilder("password check median (us):");
        for (int u = 0; u < 3; u++) {
            java.util.Arrays.sort(t[u]);
            out.append(' ').append(users[u]).append('=').append(t[u][1000] / 1000.0);
        }
        System.out.println(out);
    }

    @Test
    void badLinesStopTheLoadWithFileAndLine() throws Exception {
        Path file = dir.resolve("pwfile");
        Files.writeString(file, "# users\nweemqtt:weepass\n");
        assertThatThrownBy(() -> PasswordFile.load(file)).isInstanceOf(SecurityFileException.class)
                .hasMessage(file + ":2: the password of 'weemqtt' cannot be used: the password is not hashed; write"
                        + " user:password lines and hash them with 'mosquitto_passwd -U " + file + "'");
        Files.writeString(file, "no colon here\n");
        assertThatThrownBy(() -> PasswordFile.load(file)).hasMessageStartingWith(file + ":1: expected user:hash");
        assertThatThrownBy(() -> PasswordFile.load(dir.resolve("missing")))
                .hasMessageContaining("cannot read the password file");
    }
}
