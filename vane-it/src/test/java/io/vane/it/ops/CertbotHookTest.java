package io.vane.it.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.testkit.Poll;
import io.vane.testkit.Processes;
import io.vane.testkit.TestCertificates;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged certbot deploy hook on openssl-made files laid out as certbot lays them (live/ links to
 * archive/): it copies them as plain files, group-readable by Vane's group only, and signals the running
 * Vane, which then serves the renewed certificate.
 */
class CertbotHookTest {
    static final Path JAR = Path.of("..", "vane-app", "target", "vane-app-all.jar");

    @TempDir
    Path dir;

    private Path hook() throws Exception {
        Path deb;
        try (Stream<Path> files = Files.list(Path.of("..", "vane-app", "target"))) {
            deb = files.filter(p -> p.getFileName().toString().matches("vane_.+_all\\.deb")).findFirst().orElseThrow();
        }
        Path root = dir.resolve("pkg");
        Processes.Result r = Processes.run(60, "dpkg-deb", "-x", deb.toString(), root.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return root.resolve("usr/share/vane/certbot-deploy-hook");
    }

    /** certbot's layout for one lineage, renewal number {@code n}: archive/NAME/fileN.pem, live/NAME/file.pem links. */
    private Path renew(TestCertificates certs, String name, int n) throws Exception {
        certs.issue(name, "ec", true);
        Path archive = Files.createDirectories(dir.resolve("letsencrypt/archive/example.org"));
        Path live = Files.createDirectories(dir.resolve("letsencrypt/live/example.org"));
        String cert = Files.readString(certs.dir().resolve(name + ".pem"));
        Files.writeString(archive.resolve("cert" + n + ".pem"), cert);
        Files.writeString(archive.resolve("fullchain" + n + ".pem"), cert + Files.readString(certs.ca()));
        Files.writeString(archive.resolve("chain" + n + ".pem"), Files.readString(certs.ca()));
        Files.copy(certs.dir().resolve(name + ".key"), archive.resolve("privkey" + n + ".pem"));
        for (String f : List.of("cert", "fullchain", "chain", "privkey")) {
            Files.deleteIfExists(live.resolve(f + ".pem"));
            Files.createSymbolicLink(live.resolve(f + ".pem"), Path.of("../../archive/example.org/" + f + n + ".pem"));
        }
        return live;
    }

    private Processes.Result runHook(Path hook, Path live, Path dest, String pidFile) {
        String group = Processes.run(5, "id", "-gn").stdout().strip();
        return Processes.run(30, "env", "RENEWED_LINEAGE=" + live, "RENEWED_DOMAINS=example.org",
                "VANE_CERT_DIR=" + dest, "VANE_GROUP=" + group, "VANE_PID_FILE=" + pidFile, "PATH=/usr/bin:/bin",
                "sh", hook.toString());
    }

    @Test
    void copiesRenewedKeysForTheVaneGroupAndTheRunningVaneServesThem() throws Exception {
        Path hook = hook();
        TestCertificates certs = TestCertificates.create(Files.createDirectories(dir.resolve("ca")));
        Path live = renew(certs, "first", 1);
        Path dest = dir.resolve("vane-certs");
        Path pidFile = dir.resolve("vane.pid");

        Processes.Result first = runHook(hook, live, dest, "");
        assertThat(first.exitCode()).as(first.stdout() + first.stderr()).isZero();
        String group = Processes.run(5, "id", "-gn").stdout().strip();
        for (String f : List.of("fullchain.pem", "privkey.pem", "cert.pem", "chain.pem")) {
            Path copy = dest.resolve(f);
            PosixFileAttributes a = Files.readAttributes(copy, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            assertThat(a.isRegularFile()).as(f + " is a copy, not certbot's link").isTrue();
            assertThat(PosixFilePermissions.toString(a.permissions())).as(f).isEqualTo("rw-r-----");
            assertThat(a.group().getName()).isEqualTo(group);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dest))).isEqualTo("rwxr-x---");

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path conf = dir.resolve("vane.conf");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\ncertfile " + dest.resolve("fullchain.pem")
                + "\nkeyfile " + dest.resolve("privkey.pem") + "\nallow_anonymous true\npid_file " + pidFile
                + "\nlog_dest file " + dir.resolve("vane.log") + "\n");
        Process vane = new ProcessBuilder("java", "-Xmx64m", "-jar", JAR.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.txt").toFile()).start();
        try {
            assertThat(Poll.until(Duration.ofSeconds(30), () -> Files.exists(pidFile))).as("started").isTrue();
            assertThat(servedSerial(certs, port)).isEqualTo(serial(live));

            renew(certs, "second", 2);
            Processes.Result second = runHook(hook, live, dest, pidFile.toString());
            assertThat(second.exitCode()).as(second.stdout() + second.stderr()).isZero();
            String renewed = serial(live);
            assertThat(Poll.until(Duration.ofSeconds(15), () -> read(dir.resolve("vane.log"))
                    .contains("TLS certificate reloaded"))).as(read(dir.resolve("vane.log"))).isTrue();
            assertThat(read(dir.resolve("vane.log"))).contains("Reloading config (SIGHUP).");
            assertThat(servedSerial(certs, port)).as("new connections get the renewed certificate").isEqualTo(renewed);
        } finally {
            vane.destroy();
            if (!vane.waitFor(15, TimeUnit.SECONDS)) {
                vane.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static String serial(Path live) throws Exception {
        try (InputStream in = Files.newInputStream(live.resolve("cert.pem"))) {
            return ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in))
                    .getSerialNumber().toString(16);
        }
    }

    private static String servedSerial(TestCertificates certs, int port) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certs.ca())) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.startHandshake();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber().toString(16);
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
