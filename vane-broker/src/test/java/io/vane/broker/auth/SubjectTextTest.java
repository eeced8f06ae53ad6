package io.vane.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;

import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

/**
 * The subject as OpenSSL's XN_FLAG_RFC2253 prints it, which Mosquitto's use_subject_as_username takes
 * (CertificateUsernameTest checks a real certificate against Debian's mosquitto).
 */
class SubjectTextTest {

    @Test
    void reversedCommaSeparatedShortNames() {
        X500Principal p = new X500Principal("CN=test client,OU=Production,O=Server,L=Nottingham,ST=Notts,C=GB");
        // Java's string form lists the last RDN first already; the DER starts with C.
        assertThat(SubjectText.rfc2253(p)).isEqualTo("CN=test client,OU=Production,O=Server,L=Nottingham,ST=Notts,C=GB");
    }

    @Test
    void rfc2253EscapesAndNonAsciiBytesInHex() {
        X500Principal p = new X500Principal("CN=\\#a\\, b\\+c\\;\\<\\>\\\"d\\\\ \u00e9\\ ");
        assertThat(SubjectText.rfc2253(p)).isEqualTo("CN=\\#a\\, b\\+c\\;\\<\\>\\\"d\\\\ \\C3\\A9\\ ");
    }

    @Test
    void emailAddressByNameAndUnknownAttributesAsHexDer() {
        X500Principal p = new X500Principal("1.2.3.4=#0c0178,EMAILADDRESS=a@b.org,CN=x");
        assertThat(SubjectText.rfc2253(p)).isEqualTo("1.2.3.4=#0C0178,emailAddress=a@b.org,CN=x");
    }

    @Test
    void theCommonNameIsTheFirstCnAsItIs() {
        assertThat(SubjectText.commonName(new X500Principal("CN=second,O=Org,CN=first"))).isEqualTo("first");
        assertThat(SubjectText.commonName(new X500Principal("CN=d\u00e9j\u00e0 vu,O=Org"))).isEqualTo("d\u00e9j\u00e0 vu");
        assertThat(SubjectText.commonName(new X500Principal("O=Org"))).as("no CN: no user name").isNull();
    }

    @Test
    void aCommonNameWithANulGivesNoUserName() {
        // A BMPString CN holds zero bytes; Mosquitto refuses a CN whose length and C string length differ.
        assertThat(SubjectText.commonName(new X500Principal("CN=#1e020041"))).isNull();
    }

    @Test
    void noCertificateNoName() {
        assertThat(CertificateName.COMMON_NAME.userName(null)).isNull();
        assertThat(CertificateName.SUBJECT.userName(new X500Principal("CN=a,O=b"))).isEqualTo("CN=a,O=b");
    }
}
