package io.vane.transport.tls;

import java.nio.file.Path;

/**
 * A listener's certificate options, with Mosquitto's names.
 *
 * @param certfile certfile: the server certificate chain in PEM (e.g. Let's Encrypt's fullchain.pem)
 * @param keyfile keyfile: its private key in PEM, PKCS#8, PKCS#1 (RSA) or SEC1 (EC)
 * @param cafile cafile: CAs whose client certificates are accepted, or null
 * @param requireCertificate require_certificate: clients must present a certificate signed by cafile
 * @param tlsVersion tls_version: the oldest version allowed, {@code tlsv1.2} (default) or {@code tlsv1.3}
 * @param ciphers ciphers: colon-separated cipher suites (IANA names), or null for the JDK's defaults
 */
public record TlsSettings(Path certfile, Path keyfile, Path cafile, boolean requireCertificate, String tlsVersion,
        String ciphers) {

    public static TlsSettings of(Path certfile, Path keyfile) {
        return new TlsSettings(certfile, keyfile, null, false, null, null);
    }
}
