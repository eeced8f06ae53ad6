package io.vane.transport.tls;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** Reading PEM certificates and keys, for tools (vane cert) that need them outside a listener. */
public final class PemFiles {
    private PemFiles() {
    }

    public static X509Certificate certificate(Path file) throws ServerCertificate.CertificateProblem {
        return ServerCertificate.readChain(file).get(0);
    }

    public static PrivateKey privateKey(Path file) throws ServerCertificate.CertificateProblem {
        return ServerCertificate.readKey(file);
    }
}
