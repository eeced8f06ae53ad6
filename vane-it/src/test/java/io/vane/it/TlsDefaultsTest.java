package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vane.app.Vane;
import io.vane.app.config.SecurityConfig;
import io.vane.app.config.VaneConfig;
import io.vane.testkit.TestCertificates;
import io.vane.transport.ListenerConfig;
import io.vane.transport.tls.TlsSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 11, "TLS defaults": forward secrecy with AEAD only unless the config asks otherwise, checked with
 * openssl s_client (a client the team did not write); and TLS listeners open with the others. Decision 0008.
 */
class TlsDefaultsTest {
    @TempDir
    Path dir;
    TestCertificates certs;

    @BeforeEach
    void makeCertificate() {
        certs = TestCertificates.create(dir);
        certs.issue("server", "rsa-pkcs8", true);
    }

    private Vane start(TlsSettings tls) {
        return Vane.start(VaneConfig.defaults()
                .withListeners(List.of(new ListenerConfig(0, "127.0.0.1", ListenerConfig.Protocol.MQTT, -1).withTls(tls)))
                .withSecurity(SecurityConfig.anonymous(true)));
    }

    /** What openssl s_client negotiates with {@code args}: the cipher, or null when the handshake failed. */
    private static String negotiate(int port, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close(); // EOF on stdin: s_client ends after the handshake
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Cipher is (\\S+)").matcher(out);
        String cipher = m.find() ? m.group(1) : null;
        return cipher == null || cipher.equals("(NONE)") ? null : cipher;
    }

    @Test
    void defaultsOfferForwardSecrecyWithAeadOnly() throws Exception {
        TlsSettings tls = TlsSettings.of(dir.resolve("server.pem"), dir.resolve("server.key"));
        try (Vane vane = start(tls)) {
            int port = vane.port(0);
            assertThat(negotiate(port, "-tls1_2", "-cipher", "AES128-SHA")).as("static RSA, CBC: refused").isNull();
            assertThat(negotiate(port, "-tls1_2", "-cipher", "AES128-GCM-SHA256")).as("static RSA, GCM: refused")
                    .isNull();
            assertThat(negotiate(port, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA")).as("ECDHE, CBC: refused")
                    .isNull();
            assertThat(negotiate(port, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"))
                    .isEqualTo("ECDHE-RSA-AES128-GCM-SHA256");
            assertThat(negotiate(port, "-tls1_2")).as("what openssl picks by default").startsWith("ECDHE-");
            assertThat(negotiate(port, "-tls1_3")).startsWith("TLS_");
        }
    }

    @Test
    void theConfigMayAskForOtherSuitesInMosquittosWords() throws Exception {
        // ciphers takes OpenSSL names as Mosquitto does; ciphers_tls1.3 the TLS 1.3 ones.
        TlsSettings tls = new TlsSettings(dir.resolve("server.pem"), dir.resolve("server.key"), null, false, null,
                "AES128-SHA:ECDHE-RSA-AES256-GCM-SHA384", "TLS_AES_256_GCM_SHA384");
        try (Vane vane = start(tls)) {
            int port = vane.port(0);
            assertThat(negotiate(port, "-tls1_2", "-cipher", "AES128-SHA")).isEqualTo("AES128-SHA");
            assertThat(negotiate(port, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256")).as("not listed")
                    .isNull();
            assertThat(negotiate(port, "-tls1_3", "-ciphersuites", "TLS_AES_128_GCM_SHA256")).as("not listed")
                    .isNull();
            assertThat(negotiate(port, "-tls1_3", "-ciphersuites", "TLS_AES_256_GCM_SHA384"))
                    .isEqualTo("TLS_AES_256_GCM_SHA384");
        }
    }

    @Test
    void tlsListenersOpenWithTheOthers() throws Exception {
        certs.issue("other", "ec", true);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        lines.start();
        root.addAppender(lines);
        try (Vane vane = Vane.start(VaneConfig.defaults().withListeners(List.of(
                new ListenerConfig(0, "127.0.0.1", ListenerConfig.Protocol.MQTT, -1),
                new ListenerConfig(0, "127.0.0.1", ListenerConfig.Protocol.MQTT, -1)
                        .withTls(TlsSettings.of(dir.resolve("server.pem"), dir.resolve("server.key"))),
                new ListenerConfig(0, "127.0.0.1", ListenerConfig.Protocol.WEBSOCKETS, -1)
                        .withTls(TlsSettings.of(dir.resolve("other.pem"), dir.resolve("other.key"))),
                new ListenerConfig(0, "127.0.0.1", ListenerConfig.Protocol.MQTT, -1)))
                .withSecurity(SecurityConfig.anonymous(true)))) {
            List<Long> opened = lines.list.stream().filter(e -> e.getFormattedMessage().startsWith("Opening "))
                    .map(ILoggingEvent::getTimeStamp).collect(Collectors.toList());
            assertThat(opened).hasSize(4);
            long spread = opened.get(opened.size() - 1) - opened.get(0);
            System.out.printf("4 listeners (2 TLS) opened within %d ms of each other%n", spread);
            // Certificates load before any socket opens, so the spread is binding alone: milliseconds.
            assertThat(spread).isLessThan(1000);
        } finally {
            root.detachAppender(lines);
        }
    }
}
