package io.vane.it.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import io.vane.app.Vane;
import io.vane.app.config.SecurityConfig;
import io.vane.app.config.VaneConfig;
import io.vane.broker.auth.CertificateName;
import io.vane.broker.security.SecuritySettings;
import io.vane.testkit.MosquittoBroker;
import io.vane.testkit.Poll;
import io.vane.testkit.Processes;
import io.vane.testkit.TestCertificates;
import io.vane.transport.ListenerConfig;
import io.vane.transport.tls.TlsSettings;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * use_identity_as_username and use_subject_as_username (mosquitto.conf(5)): the verified client
 * certificate names the user, the password is not used, a client without a certificate is refused, and
 * the ACL's {@code user} lines apply to that name. Real certificates from openssl, HiveMQ's client, and
 * Debian's mosquitto for the exact form of the subject.
 */
class CertificateUsernameTest {
    private static final int SUCCESS_OR_NO_SUBSCRIBERS = 0x10;
    private static final int NOT_AUTHORIZED = 0x87;
    private static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
    /** A subject with every escape Mosquitto applies: a comma, a non-ASCII letter, a two-value RDN, email. */
    private static final String SUBJECT = "/C=GB/ST=Nottinghamshire/L=Nottingham/O=Server, Ltd/OU=Production"
            + "/CN=test cl\u00efent+UID=42/emailAddress=a@b.org";

    @TempDir
    Path dir;
    TestCertificates certs;
    TrustManagerFactory trust;

    @BeforeEach
    void certificates() throws Exception {
        certs = TestCertificates.create(dir);
        certs.issue("server", "ec", true);
        certs.issue("alice", "ec", false);
        trust = ClientTls.trusting(certs.ca());
    }

    private Vane start(CertificateName name, boolean require, String... acl) throws Exception {
        Path aclFile = dir.resolve("acl");
        Files.writeString(aclFile, String.join("\n", acl) + "\n");
        TlsSettings tls = new TlsSettings(dir.resolve("server.pem"), dir.resolve("server.key"), certs.ca(), require,
                null, null, null, name);
        return Vane.start(VaneConfig.defaults()
                .withListeners(List.of(new ListenerConfig(0, "127.0.0.1", ListenerConfig.Protocol.MQTT, -1).withTls(tls)))
                .withSecurity(new SecurityConfig(new SecuritySettings(false, null, aclFile), Map.of())));
    }

    private Mqtt5BlockingClient as(String certName, int port) throws Exception {
        return ClientTls.client("c-" + certName, port, trust,
                ClientTls.presenting(dir.resolve(certName + ".pem"), dir.resolve(certName + ".key")));
    }

    @Test
    void theCommonNameIsTheUserNameAndTheAclUserLinesApplyToIt() throws Exception {
        try (Vane vane = start(CertificateName.COMMON_NAME, true, "user alice", "topic readwrite alice/#")) {
            Mqtt5BlockingClient alice = as("alice", vane.port(0));
            alice.connect(); // no user name, no password, allow_anonymous false: the certificate is the login
            assertThat(ClientTls.pubAck(alice, "alice/kitchen")).isIn(0, SUCCESS_OR_NO_SUBSCRIBERS);
            assertThat(ClientTls.pubAck(alice, "bob/kitchen")).isEqualTo(NOT_AUTHORIZED);
            alice.disconnect();
        }
    }

    @Test
    void thePasswordIsNotUsedAndCannotChangeTheName() throws Exception {
        try (Vane vane = start(CertificateName.COMMON_NAME, true, "user alice", "topic readwrite alice/#",
                "user bob", "topic readwrite bob/#")) {
            Mqtt5BlockingClient alice = as("alice", vane.port(0));
            alice.connectWith().simpleAuth().username("bob").password("wrong".getBytes()).applySimpleAuth().send();
            assertThat(ClientTls.pubAck(alice, "alice/x")).isIn(0, SUCCESS_OR_NO_SUBSCRIBERS);
            assertThat(ClientTls.pubAck(alice, "bob/x")).as("still alice, not bob").isEqualTo(NOT_AUTHORIZED);
            alice.disconnect();
        }
    }

    @Test
    void aClientWithoutACertificateIsRefusedEvenWithAUserName() throws Exception {
        // require_certificate false: the handshake lets it in, CONNECT is refused as Mosquitto refuses it.
        try (Vane vane = start(CertificateName.COMMON_NAME, false, "user alice", "topic readwrite alice/#")) {
            Mqtt5BlockingClient none = ClientTls.client("no-cert", vane.port(0), trust, null);
            assertThatThrownBy(() -> none.connectWith().simpleAuth().username("alice").password("x".getBytes())
                    .applySimpleAuth().send())
                    .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(
                            e.getMqttMessage().getReasonCode().getCode()).isEqualTo(BAD_USER_NAME_OR_PASSWORD));
        }
        // require_certificate true: it does not get past the handshake.
        try (Vane vane = start(CertificateName.COMMON_NAME, true, "user alice", "topic readwrite alice/#")) {
            Mqtt5BlockingClient none = ClientTls.client("no-cert", vane.port(0), trust, null);
            assertThatThrownBy(none::connect).isNotInstanceOf(Mqtt5ConnAckException.class);
        }
    }

    /**
     * The user name Debian's mosquitto derives from a subject with commas, non-ASCII and a two-value RDN
     * is the one Vane derives: an ACL written with mosquitto's name lets the client publish on Vane.
     */
    @Test
    void theWholeSubjectIsTheUserNameInTheFormMosquittoWrites() throws Exception {
        certs.issueWithSubject("subject", SUBJECT);
        int tlsPort;
        try (ServerSocket s = new ServerSocket(0)) {
            tlsPort = s.getLocalPort();
        }
        String mosquittoName;
        try (MosquittoBroker mosquitto = MosquittoBroker.start(List.of("listener " + tlsPort + " 127.0.0.1",
                "cafile " + certs.ca(), "certfile " + dir.resolve("server.pem"), "keyfile " + dir.resolve("server.key"),
                "require_certificate true", "use_subject_as_username true"))) {
            Processes.Result pub = Processes.run(10, "mosquitto_pub", "-h", "localhost", "-p", Integer.toString(tlsPort),
                    "--cafile", certs.ca().toString(), "--cert", dir.resolve("subject.pem").toString(), "--key",
                    dir.resolve("subject.key").toString(), "-t", "t", "-m", "m");
            assertThat(pub.exitCode()).as(pub.stderr()).isZero();
            Pattern user = Pattern.compile("New client connected from .* u'(.*)'\\)\\.");
            assertThat(Poll.until(Duration.ofSeconds(10), () -> user.matcher(mosquitto.log()).find())).isTrue();
            Matcher m = user.matcher(mosquitto.log());
            assertThat(m.find()).isTrue();
            mosquittoName = m.group(1);
        }
        assertThat(mosquittoName).isEqualTo("emailAddress=a@b.org,CN=test cl\\C3\\AFent+UID=42,OU=Production,"
                + "O=Server\\, Ltd,L=Nottingham,ST=Nottinghamshire,C=GB");
        try (Vane vane = start(CertificateName.SUBJECT, true, "user " + mosquittoName, "topic readwrite ok/#")) {
            Mqtt5BlockingClient c = as("subject", vane.port(0));
            c.connect();
            assertThat(ClientTls.pubAck(c, "ok/x")).isIn(0, SUCCESS_OR_NO_SUBSCRIBERS);
            assertThat(ClientTls.pubAck(c, "other/x")).isEqualTo(NOT_AUTHORIZED);
            c.disconnect();
        }
    }
}
