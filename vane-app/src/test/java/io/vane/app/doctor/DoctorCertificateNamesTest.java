package io.vane.app.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.transport.tls.ServerCertificate;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host names against certificates as browsers match them (RFC 6125): exact names and one-label wildcards. */
class DoctorCertificateNamesTest {
    @TempDir
    Path dir;

    private X509Certificate cert(String name) throws Exception {
        Instant now = Instant.now();
        return ServerCertificate.readChain(SelfSigned.make(dir, "c", name, now, now.plus(Duration.ofDays(1))).cert).get(0);
    }

    @Test
    void aWildcardCoversExactlyOneLabel() throws Exception {
        X509Certificate wildcard = cert("*.example.org");
        assertThat(CertificateNames.covers(wildcard, "weather.example.org")).isTrue();
        assertThat(CertificateNames.covers(wildcard, "WEATHER.Example.org")).isTrue();
        assertThat(CertificateNames.covers(wildcard, "example.org")).isFalse();
        assertThat(CertificateNames.covers(wildcard, "a.weather.example.org")).isFalse();
        assertThat(CertificateNames.of(wildcard)).containsExactly("*.example.org");
    }

    @Test
    void anExactNameCoversOnlyItselfAndNeverAnAddress() throws Exception {
        X509Certificate exact = cert("weather.example.org");
        assertThat(CertificateNames.covers(exact, "weather.example.org")).isTrue();
        assertThat(CertificateNames.covers(exact, "other.example.org")).isFalse();
        assertThat(CertificateNames.covers(exact, "192.0.2.7")).isFalse();
    }

    @Test
    void aKeyMatchesOnlyItsOwnCertificate() throws Exception {
        Instant now = Instant.now();
        SelfSigned a = SelfSigned.make(dir, "a", "a.example", now, now.plus(Duration.ofDays(1)));
        SelfSigned b = SelfSigned.make(dir, "b", "b.example", now, now.plus(Duration.ofDays(1)));
        X509Certificate certA = ServerCertificate.readChain(a.cert).get(0);
        assertThat(CertificateChecks.matches(certA.getPublicKey(), ServerCertificate.readKey(a.key))).isTrue();
        assertThat(CertificateChecks.matches(certA.getPublicKey(), ServerCertificate.readKey(b.key))).isFalse();
    }
}
