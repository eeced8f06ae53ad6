package io.vane.it.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.vane.app.Vane;
import io.vane.app.config.SecurityConfig;
import io.vane.app.config.VaneConfig;
import io.vane.broker.auth.CertificateName;
import io.vane.testkit.MosquittoBroker;
import io.vane.testkit.Processes;
import io.vane.testkit.TestCertificates;
import io.vane.transport.ListenerConfig;
import io.vane.transport.tls.PemFiles;
import io.vane.transport.tls.TlsSettings;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * crlfile and capath (mosquitto.conf(5)): a client certificate in the CRL is refused at the handshake, on
 * Vane as on Debian's mosquitto with the same files; a CA found through a capath directory (rehashed by
 * openssl, or plain *.crt files) issues accepted certificates.
 */
class RevocationTest {
    @TempDir
    Path dir;
    TestCertificates certs;

    @BeforeEach
    void certificates() {
        certs = TestCertificates.create(dir);
        certs.issue("server", "ec", true);
        certs.issue("alice", "ec", false);
        certs.issue("bob", "ec", false);
    }

    /** A CRL signed by the test CA listing these serials (hex), valid for a day. */
    private Path crl(String name, String... revokedHex) throws Exception {
        var ca = PemFiles.certificate(certs.ca());
        X509v2CRLBuilder b = new X509v2CRLBuilder(X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
                Date.from(Instant.now().minusSeconds(60)));
        b.setNextUpdate(Date.from(Instant.now().plusSeconds(86_400)));
        for (String serial : revokedHex) {
            b.addCRLEntry(new BigInteger(serial, 16), Date.from(Instant.now().minusSeconds(30)), 1);
        }
        var signer = new JcaContentSignerBuilder("SHA256withRSA").build(PemFiles.privateKey(dir.resolve("ca.key")));
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(pem)) {
            w.writeObject(new JcaX509CRLConverter().getCRL(b.build(signer)));
        }
        Path file = dir.resolve(name);
        Files.writeString(file, pem.toString());
        return file;
    }

    private Vane start(Path cafile, Path capath, Path crlfile) {
        TlsSettings tls = new TlsSettings(dir.resolve("server.pem"), dir.resolve("server.key"), cafile, true, null, null,
                null, CertificateName.NONE, capath, crlfile);
        return Vane.start(VaneConfig.defaults()
                .withListeners(List.of(new ListenerConfig(0, "127.0.0.1", ListenerConfig.Protocol.MQTT, -1).withTls(tls)))
                .withSecurity(SecurityConfig.anonymous(true)));
    }

    private boolean connects(String who, int port) throws Exception {
        Mqtt5BlockingClient c = ClientTls.client("c-" + who, port, ClientTls.trusting(certs.ca()),
                ClientTls.presenting(dir.resolve(who + ".pem"), dir.resolve(who + ".key")));
        try {
            c.connect();
            c.disconnect();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private boolean connectsUnchecked(String who, int port) {
        try {
            return connects(who, port);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String serial(Path cert) throws Exception {
        return PemFiles.certificate(cert).getSerialNumber().toString(16);
    }

    @Test
    void aRevokedClientCertificateIsRefusedOnVaneAsOnMosquitto() throws Exception {
        Path crl = crl("crl.pem", serial(dir.resolve("bob.pem")));
        try (Vane vane = start(certs.ca(), null, crl)) {
            assertThat(connects("alice", vane.port(0))).isTrue();
            assertThat(connects("bob", vane.port(0))).as("bob's certificate is revoked").isFalse();
        }
        int tlsPort;
        try (ServerSocket s = new ServerSocket(0)) {
            tlsPort = s.getLocalPort();
        }
        try (MosquittoBroker mosquitto = MosquittoBroker.start(List.of("listener " + tlsPort + " 127.0.0.1",
                "cafile " + certs.ca(), "certfile " + dir.resolve("server.pem"), "keyfile " + dir.resolve("server.key"),
                "require_certificate true", "crlfile " + crl))) {
            assertThat(mosquittoPub(tlsPort, "alice").exitCode()).isZero();
            assertThat(mosquittoPub(tlsPort, "bob").exitCode()).as("mosquitto refuses bob too").isNotZero();
        }
    }

    private Processes.Result mosquittoPub(int port, String who) {
        return Processes.run(10, "mosquitto_pub", "-h", "localhost", "-p", Integer.toString(port), "--cafile",
                certs.ca().toString(), "--cert", dir.resolve(who + ".pem").toString(), "--key",
                dir.resolve(who + ".key").toString(), "-t", "t", "-m", "m");
    }

    /** A new CRL on disk is used from the next connection on after a reload (SIGHUP), without a restart. */
    @Test
    void aNewCrlRefusesFromTheNextConnectionAfterAReload() throws Exception {
        Path crl = crl("crl.pem");
        try (Vane vane = start(certs.ca(), null, crl)) {
            assertThat(connects("alice", vane.port(0))).isTrue();
            crl("crl.pem", serial(dir.resolve("alice.pem")));
            Files.setLastModifiedTime(crl, FileTime.from(Instant.now().plusSeconds(5))); // a different stamp
            vane.reloadCertificates(); // the reload runs on the certificate watcher's thread
            assertThat(io.vane.testkit.Poll.until(java.time.Duration.ofSeconds(10), () -> !connectsUnchecked("alice", vane.port(0))))
                    .as("alice is revoked now").isTrue();
            assertThat(connects("bob", vane.port(0))).isTrue();
        }
    }

    @Test
    void capathReadsAnOpensslRehashedDirectoryOrPlainCrtFiles() throws Exception {
        Path hashed = Files.createDirectories(dir.resolve("hashed"));
        Files.copy(certs.ca(), hashed.resolve("test-ca.pem"));
        Processes.Result rehash = Processes.run(20, "openssl", "rehash", hashed.toString());
        assertThat(rehash.exitCode()).as(rehash.stderr()).isZero();
        try (var names = Files.list(hashed)) {
            assertThat(names.map(p -> p.getFileName().toString())).anyMatch(n -> n.matches("[0-9a-f]{8}\\.0"));
        }
        try (Vane vane = start(null, hashed, null)) {
            assertThat(connects("alice", vane.port(0))).isTrue();
        }
        Path plain = Files.createDirectories(dir.resolve("plain"));
        Files.copy(certs.ca(), plain.resolve("ca.crt"));
        Files.writeString(plain.resolve("README"), "not a certificate, not read\n");
        try (Vane vane = start(null, plain, null)) {
            assertThat(connects("alice", vane.port(0))).isTrue();
        }
        // A CA that is not in the directory issues nothing accepted.
        TestCertificates other = TestCertificates.create(Files.createDirectories(dir.resolve("other")));
        other.issue("mallory", "ec", false);
        Files.copy(other.dir().resolve("mallory.pem"), dir.resolve("mallory.pem"));
        Files.copy(other.dir().resolve("mallory.key"), dir.resolve("mallory.key"));
        try (Vane vane = start(null, plain, null)) {
            assertThat(connects("mallory", vane.port(0))).isFalse();
        }
    }

    /** The intermediate found in capath is sent with the leaf, as OpenSSL builds the chain from capath too. */
    @Test
    void anIntermediateInCapathIsSentWithTheLeaf() throws Exception {
        certs.intermediate("inter");
        certs.issueBy("inter", "leaf", "ec", true);
        Path capath = Files.createDirectories(dir.resolve("capath"));
        Files.copy(dir.resolve("inter.pem"), capath.resolve("inter.pem"));
        Files.copy(certs.ca(), capath.resolve("root.pem"));
        TlsSettings tls = new TlsSettings(dir.resolve("leaf.pem"), dir.resolve("leaf.key"), null, false, null, null,
                null, CertificateName.NONE, capath, null);
        try (Vane vane = Vane.start(VaneConfig.defaults()
                .withListeners(List.of(new ListenerConfig(0, "127.0.0.1", ListenerConfig.Protocol.MQTT, -1).withTls(tls)))
                .withSecurity(SecurityConfig.anonymous(true)))) {
            Processes.Result pub = Processes.run(10, "mosquitto_pub", "-h", "localhost", "-p",
                    Integer.toString(vane.port(0)), "--cafile", certs.ca().toString(), "-t", "t", "-m", "m");
            assertThat(pub.exitCode()).as("a client trusting only the root: %s", pub.stderr()).isZero();
        }
    }

    @Test
    void aCrlFileWithoutACrlStopsStartUp() throws Exception {
        Path notCrl = dir.resolve("notcrl.pem");
        Files.copy(certs.ca(), notCrl);
        assertThatThrownBy(() -> start(certs.ca(), null, notCrl)).hasMessageContaining("no CRL in the file");
    }
}
