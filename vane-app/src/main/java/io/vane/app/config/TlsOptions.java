package io.vane.app.config;

import io.vane.transport.tls.ClientTrust;
import io.vane.transport.tls.ServerCertificate;
import java.nio.file.Path;

/**
 * capath and crlfile, checked while the file is read so a problem names the line: a CRL file that is
 * missing or holds no CRL stops start-up, since starting without it would accept revoked certificates.
 */
final class TlsOptions {
    private TlsOptions() {
    }

    static void capath(ConfigDraft d, ListenerDraft l, String v) throws ValueProblem {
        Path dir = d.resolve(v);
        try {
            ClientTrust.readCapath(dir);
        } catch (ServerCertificate.CertificateProblem e) {
            throw new ValueProblem("capath " + e.getMessage());
        }
        l.capath = dir;
    }

    static void crlfile(ConfigDraft d, ListenerDraft l, String v) throws ValueProblem {
        Path file = d.resolve(v);
        try {
            ClientTrust.readCrls(file);
        } catch (ServerCertificate.CertificateProblem e) {
            throw new ValueProblem("crlfile " + e.getMessage());
        }
        l.crlfile = file;
    }
}
