package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vane.app.Vane;
import io.vane.app.config.SecurityConfig;
import io.vane.app.config.VaneConfig;
import io.vane.testkit.Poll;
import io.vane.testkit.Processes;
import io.vane.testkit.TestCertificates;
import io.vane.transport.ListenerConfig;
import io.vane.transport.tls.TlsSettings;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS with real files made by openssl and real clients: mosquitto_pub/sub and JDK sockets. */
class TlsTest {
    private static final java.util.concurrent.atomic.AtomicInteger NEXT_ID = new java.util.concurrent.atomic.AtomicInteger();

    @TempDir
    Path dir;
    TestCertificates certs;

    @BeforeEach
    void makeCa() {
        certs = TestCertificates.create(dir);
    }

    private Vane start(TlsSettings tls) {
        return Vane.start(VaneConfig.defaults()
                .withListeners(List.of(new ListenerConfig(0, "127.0.0.1", ListenerConfig.Protocol.MQTT, -1).withTls(tls)))
                .withSecurity(SecurityConfig.anonymous(true)));
    }

    private SSLContext trustingTheCa() throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(certs.ca())) {
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** Opens a TLS socket, sends an MQTT 3.1.1 CONNECT, and returns it with the server certificate's serial. */
    private SSLSocket connect(int port, String... protocols) throws Exception {
        SSLSocket s = (SSLSocket) trustingTheCa().getSocketFactory().createSocket("127.0.0.1", port);
        if (protocols.length > 0) {
            s.setEnabledProtocols(protocols);
        }
        s.setSoTimeout(5000);
        s.startHandshake();
        OutputStream out = s.getOutputStream();
        // Each connection its own client id, so a new one never takes over an older one's session.
        byte[] id = String.format("tls-%06d", NEXT_ID.getAndIncrement()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.io.ByteArrayOutputStream connect = new java.io.ByteArrayOutputStream();
        connect.write(new byte[] {0x10, (byte) (12 + id.length), 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x3c,
            0x00, (byte) id.length});
        connect.write(id);
        out.write(connect.toByteArray());
        out.flush();
        byte[] ack = s.getInputStream().readNBytes(4);
        assertThat(ack).containsExactly(0x20, 0x02, 0x00, 0x00);
        return s;
    }

    private static String serial(SSLSocket s) throws Exception {
        BigInteger serial = ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
        return serial.toString(16);
    }

    private static void ping(SSLSocket s) throws Exception {
        s.getOutputStream().write(new byte[] {(byte) 0xc0, 0x00});
        s.getOutputStream().flush();
        assertThat(s.getInputStream().readNBytes(2)).containsExactly(0xd0, 0x00);
    }

    /**
     * Let's Encrypt's layout in Mosquitto's words: the leaf alone in certfile (cert.pem) and the
     * intermediate in cafile (chain.pem). Mosquitto sends the chain; so must Vane, or a client that trusts
     * only the root cannot connect.
     */
    @Test
    void aLeafInCertfileAndItsIntermediateInCafileReachClientsThatTrustOnlyTheRoot() throws Exception {
        certs.intermediate("intermediate");
        certs.issueBy("intermediate", "server", "ec", true);
        TlsSettings tls = new TlsSettings(dir.resolve("server.pem"), dir.resolve("server.key"),
                dir.resolve("intermediate.pem"), false, null, null);
        try (Vane vane = start(tls); SSLSocket s = connect(vane.port(0))) {
            java.security.cert.Certificate[] sent = s.getSession().getPeerCertificates();
            assertThat(sent).hasSize(2);
            assertThat(((X509Certificate) sent[1]).getSubjectX500Principal().getName())
                    .contains("Vane Test Intermediate");
            ping(s);
            String port = Integer.toString(vane.port(0));
            Processes.Result pub = Processes.run(10, "mosquitto_pub", "-h", "localhost", "-p", port, "--cafile",
                    certs.ca().toString(), "-t", "tls/chain", "-m", "x", "-q", "1");
            assertThat(pub.exitCode()).as("mosquitto_pub trusting only the root: %s", pub.stderr()).isZero();
        }
    }

    @Test
    void mosquittoClientsTalkOverTlsWithPkcs1Keys() throws Exception {
        certs.issue("server", "rsa-pkcs1", true);
        try (Vane vane = start(TlsSettings.of(dir.resolve("server.pem"), dir.resolve("server.key")))) {
            String port = Integer.toString(vane.port(0));
            int subscriptions = vane.broker().subscriptionCount();
            try (Processes.Background sub = Processes.start("mosquitto_sub", "-h", "localhost", "-p", port,
                    "--cafile", certs.ca().toString(), "-t", "tls/#", "-C", "1", "-W", "10", "-V", "5")) {
                assertThat(Poll.until(java.time.Duration.ofSeconds(10),
                        () -> vane.broker().subscriptionCount() > subscriptions)).as("mosquitto_sub subscribed").isTrue();
                Processes.Result pub = Processes.run(10, "mosquitto_pub", "-h", "localhost", "-p", port, "--cafile",
                        certs.ca().toString(), "-t", "tls/t", "-m", "secret", "-q", "1");
                assertThat(pub.exitCode()).as(pub.stderr()).isZero();
                assertThat(sub.await(10)).isZero();
                assertThat(sub.output().strip()).isEqualTo("secret");
            }
        }
    }

    @Test
    void ecKeysAndTls12And13() throws Exception {
        certs.issue("server", "ec", true);
        try (Vane vane = start(TlsSettings.of(dir.resolve("server.pem"), dir.resolve("server.key")))) {
            try (SSLSocket s = connect(vane.port(0), "TLSv1.3")) {
                assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.3");
            }
            try (SSLSocket s = connect(vane.port(0), "TLSv1.2")) {
                assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.2");
            }
        }
        try (Vane vane = start(new TlsSettings(dir.resolve("server.pem"), dir.resolve("server.key"), null, false,
                "tlsv1.3", null))) {
            assertThatThrownBy(() -> connect(vane.port(0), "TLSv1.2")).as("tls_version tlsv1.3").isNotNull();
        }
    }

    @Test
    void renewedCertificateServesNewConnectionsWhileOldOnesKeepWorking() throws Exception {
        String first = certs.issue("server", "rsa-pkcs8", true);
        Path cert = dir.resolve("live-fullchain.pem");
        Path key = dir.resolve("live-privkey.pem");
        Files.copy(dir.resolve("server.pem"), cert);
        Files.copy(dir.resolve("server.key"), key);
        try (Vane vane = start(TlsSettings.of(cert, key)); SSLSocket old = connect(vane.port(0))) {
            assertThat(serial(old)).isEqualTo(first);
            String second = certs.issue("renewed", "rsa-pkcs8", true);
            // What certbot does: new files in place of the old ones.
            Files.copy(dir.resolve("renewed.key"), key, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(dir.resolve("renewed.pem"), cert, StandardCopyOption.REPLACE_EXISTING);
            assertThat(Poll.until(Duration.ofSeconds(15), () -> {
                try (SSLSocket fresh = connect(vane.port(0))) {
                    return serial(fresh).equals(second);
                } catch (Exception e) {
                    return false;
                }
            })).as("a new handshake sees the new serial").isTrue();
            ping(old); // the connection made before the renewal still works

            // A broken new file keeps the renewed certificate in use.
            ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                    org.slf4j.Logger.ROOT_LOGGER_NAME);
            ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
                    new ch.qos.logback.core.read.ListAppender<>();
            lines.start();
            root.addAppender(lines);
            try {
                Files.writeString(cert, "-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n");
                // Once the watcher has seen the broken file it says it keeps the renewed certificate.
                assertThat(Poll.until(Duration.ofSeconds(15), () -> {
                    synchronized (lines) { // AppenderBase appends under the appender's own lock
                        return lines.list.stream().anyMatch(
                                e -> e.getFormattedMessage().startsWith("Keeping the previous TLS certificate"));
                    }
                })).isTrue();
            } finally {
                root.detachAppender(lines);
            }
            try (SSLSocket afterBreak = connect(vane.port(0))) {
                assertThat(serial(afterBreak)).isEqualTo(second);
            }
        }
    }

    @Test
    void requireCertificateRefusesClientsWithoutOne() throws Exception {
        certs.issue("server", "rsa-pkcs8", true);
        certs.issue("client", "ec", false);
        TlsSettings tls = new TlsSettings(dir.resolve("server.pem"), dir.resolve("server.key"), certs.ca(), true,
                null, null);
        try (Vane vane = start(tls)) {
            String port = Integer.toString(vane.port(0));
            Processes.Result without = Processes.run(10, "mosquitto_pub", "-h", "localhost", "-p", port, "--cafile",
                    certs.ca().toString(), "-t", "t", "-m", "x");
            assertThat(without.exitCode()).isNotZero();
            Processes.Result with = Processes.run(10, "mosquitto_pub", "-h", "localhost", "-p", port, "--cafile",
                    certs.ca().toString(), "--cert", dir.resolve("client.pem").toString(), "--key",
                    dir.resolve("client.key").toString(), "-t", "t", "-m", "x");
            assertThat(with.exitCode()).as(with.stderr()).isZero();
        }
    }

    @Test
    void aKeyThatDoesNotMatchItsCertificateStopsStartUp() {
        certs.issue("server", "rsa-pkcs8", true);
        certs.issue("other", "rsa-pkcs8", true);
        assertThatThrownBy(() -> start(TlsSettings.of(dir.resolve("server.pem"), dir.resolve("other.key"))))
                .hasMessageContaining("other.key does not belong to the certificate in")
                .hasMessageContaining("server.pem");
    }

    @Test
    void secureWebSocketsCarryMqttToPahoJava() throws Exception {
        certs.issue("server", "rsa-pkcs1", true);
        TlsSettings tls = TlsSettings.of(dir.resolve("server.pem"), dir.resolve("server.key"));
        try (Vane vane = Vane.start(VaneConfig.defaults()
                .withListeners(List.of(new ListenerConfig(0, "127.0.0.1", ListenerConfig.Protocol.WEBSOCKETS, -1)
                        .withTls(tls)))
                .withSecurity(SecurityConfig.anonymous(true)))) {
            org.eclipse.paho.client.mqttv3.MqttConnectOptions o = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
            o.setSocketFactory(trustingTheCa().getSocketFactory());
            org.eclipse.paho.client.mqttv3.MqttClient c = new org.eclipse.paho.client.mqttv3.MqttClient(
                    "wss://localhost:" + vane.port(0) + "/mqtt", "wss-paho",
                    new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
            c.connect(o);
            java.util.concurrent.BlockingQueue<String> got = new java.util.concurrent.LinkedBlockingQueue<>();
            c.subscribe("wss/t", 1, (t, m) -> got.add(new String(m.getPayload(), java.nio.charset.StandardCharsets.UTF_8)));
            c.publish("wss/t", "over wss".getBytes(java.nio.charset.StandardCharsets.UTF_8), 1, false);
            assertThat(got.poll(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("over wss");
            c.disconnect();
        }
    }

    @Test
    void hiveMqClientOverTlsAndPahoOverTls() throws Exception {
        certs.issue("server", "ec", true);
        try (Vane vane = start(TlsSettings.of(dir.resolve("server.pem"), dir.resolve("server.key")))) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            try (InputStream in = Files.newInputStream(certs.ca())) {
                ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient hive = com.hivemq.client.mqtt.MqttClient.builder()
                    .useMqttVersion5().identifier("tls-hive").serverHost("localhost").serverPort(vane.port(0))
                    .sslConfig().trustManagerFactory(tmf).applySslConfig().buildBlocking();
            hive.connect();
            try (var got = hive.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
                hive.subscribeWith().topicFilter("tls/hive").send();
                org.eclipse.paho.client.mqttv3.MqttConnectOptions o = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
                o.setSocketFactory(trustingTheCa().getSocketFactory());
                org.eclipse.paho.client.mqttv3.MqttClient paho = new org.eclipse.paho.client.mqttv3.MqttClient(
                        "ssl://localhost:" + vane.port(0), "tls-paho",
                        new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
                paho.connect(o);
                paho.publish("tls/hive", "from paho".getBytes(java.nio.charset.StandardCharsets.UTF_8), 1, false);
                assertThat(new String(got.receive(5, java.util.concurrent.TimeUnit.SECONDS).get().getPayloadAsBytes(),
                        java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("from paho");
                paho.disconnect();
            }
            hive.disconnect();
        }
    }
}
