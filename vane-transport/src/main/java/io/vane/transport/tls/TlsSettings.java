package io.vane.transport.tls;

import io.vane.broker.auth.CertificateName;
import java.nio.file.Path;

/**
 * A listener's certificate options, with Mosquitto's names.
 *
 * @param certfile certfile: the server certificate chain in PEM (e.g. Let's Encrypt's fullchain.pem)
 * @param keyfile keyfile: its private key in PEM, PKCS#8, PKCS#1 (RSA) or SEC1 (EC)
 * @param cafile cafile: CAs whose client certificates are accepted, or null
 * @param requireCertificate require_certificate: clients must present a certificate signed by cafile
 * @param tlsVersion tls_version: the oldest version allowed, {@code tlsv1.2} (default) or {@code tlsv1.3}
 * @param ciphers ciphers: colon-separated TLS 1.2 cipher suites, OpenSSL names as Mosquitto takes them
 *        ({@code ECDHE-RSA-AES128-GCM-SHA256}) or IANA names; null for Vane's default, forward secrecy
 *        with AEAD only ({@link CipherSuites#DEFAULT_TLS12}). TLS 1.3 names written here count as
 *        {@code ciphers_tls1.3} when that option is not set.
 * @param ciphersTls13 ciphers_tls1.3: colon-separated TLS 1.3 suites, or null for all three
 *        ({@link CipherSuites#DEFAULT_TLS13})
 * @param certificateName use_identity_as_username / use_subject_as_username: whether the client
 *        certificate's subject is the user name
 * @param capath capath: a directory of CA certificates trusted like cafile's, or null
 * @param crlfile crlfile: PEM CRLs; a client certificate listed there is refused at the handshake; or null
 */
public record TlsSettings(Path certfile, Path keyfile, Path cafile, boolean requireCertificate, String tlsVersion,
        String ciphers, String ciphersTls13, CertificateName certificateName, Path capath, Path crlfile) {

    /** The settings without capath and crlfile. */
    public TlsSettings(Path certfile, Path keyfile, Path cafile, boolean requireCertificate, String tlsVersion,
            String ciphers, String ciphersTls13, CertificateName certificateName) {
        this(certfile, keyfile, cafile, requireCertificate, tlsVersion, ciphers, ciphersTls13, certificateName, null,
                null);
    }

    public TlsSettings {
        certificateName = certificateName == null ? CertificateName.NONE : certificateName;
    }

    /** The settings with user names from CONNECT only. */
    public TlsSettings(Path certfile, Path keyfile, Path cafile, boolean requireCertificate, String tlsVersion,
            String ciphers, String ciphersTls13) {
        this(certfile, keyfile, cafile, requireCertificate, tlsVersion, ciphers, ciphersTls13, CertificateName.NONE);
    }

    /** The settings without ciphers_tls1.3. */
    public TlsSettings(Path certfile, Path keyfile, Path cafile, boolean requireCertificate, String tlsVersion,
            String ciphers) {
        this(certfile, keyfile, cafile, requireCertificate, tlsVersion, ciphers, null, CertificateName.NONE);
    }

    public static TlsSettings of(Path certfile, Path keyfile) {
        return new TlsSettings(certfile, keyfile, null, false, null, null, null, CertificateName.NONE);
    }
}
