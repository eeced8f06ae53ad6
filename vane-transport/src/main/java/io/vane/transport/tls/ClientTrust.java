package io.vane.transport.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CRL;
import java.security.cert.CertPathValidator;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * Which client certificates a TLS listener accepts: those issued by a CA of {@code cafile} or {@code capath},
 * and, with {@code crlfile}, not revoked. Uses the JDK's PKIX validator. As OpenSSL's {@code X509_V_FLAG_CRL_CHECK}
 * (what Mosquitto sets for crlfile), only the client's own certificate is looked up in the CRLs, and a CRL
 * past its next-update time fails every client it covers rather than being ignored.
 */
public final class ClientTrust {
    /** OpenSSL's c_rehash names: {@code <8 hex digits>.<n>} for certificates ({@code .r<n>} are CRLs). */
    private static final Pattern HASH_NAME = Pattern.compile("[0-9a-f]{8}\\.[0-9]+");

    private ClientTrust() {
    }

    /** The trust manager factory for the settings, or null when neither cafile nor capath is set. */
    static TrustManagerFactory forListener(TlsSettings s) throws ServerCertificate.CertificateProblem {
        if (s.cafile() == null && s.capath() == null) {
            return null;
        }
        Set<TrustAnchor> anchors = new LinkedHashSet<>();
        List<X509Certificate> cas = new ArrayList<>();
        if (s.cafile() != null) {
            cas.addAll(ServerCertificate.readChain(s.cafile()));
        }
        if (s.capath() != null) {
            cas.addAll(readCapath(s.capath()));
        }
        cas.forEach(c -> anchors.add(new TrustAnchor(c, null)));
        try {
            PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, null);
            if (s.crlfile() == null) {
                params.setRevocationEnabled(false);
            } else {
                params.addCertStore(CertStore.getInstance("Collection",
                        new CollectionCertStoreParameters(readCrls(s.crlfile()))));
                PKIXRevocationChecker revocation = (PKIXRevocationChecker) CertPathValidator.getInstance("PKIX")
                        .getRevocationChecker();
                revocation.setOptions(EnumSet.of(PKIXRevocationChecker.Option.ONLY_END_ENTITY,
                        PKIXRevocationChecker.Option.PREFER_CRLS, PKIXRevocationChecker.Option.NO_FALLBACK));
                params.addCertPathChecker(revocation);
                params.setRevocationEnabled(true);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(new CertPathTrustManagerParameters(params));
            return tmf;
        } catch (java.security.GeneralSecurityException e) {
            throw new ServerCertificate.CertificateProblem("cannot check client certificates with these CAs: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The CA certificates of a capath directory: files named as {@code openssl rehash} names them, and files
     * ending in {@code .pem} or {@code .crt} (so a directory not rehashed works too); each certificate once.
     * Files of other names (keys, CRLs {@code .r0}, notes) are not read. None at all is a problem.
     */
    public static List<X509Certificate> readCapath(Path dir) throws ServerCertificate.CertificateProblem {
        if (!Files.isDirectory(dir)) {
            throw new ServerCertificate.CertificateProblem(dir + " is not a directory; point capath at the directory"
                    + " of CA certificates, or write cafile FILE for one file", null);
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> {
                String n = p.getFileName().toString();
                return HASH_NAME.matcher(n).matches() || n.endsWith(".pem") || n.endsWith(".crt");
            }).sorted().toList();
        } catch (IOException e) {
            throw new ServerCertificate.CertificateProblem(dir + ": cannot list the directory (" + e.getMessage()
                    + "); check that Vane's user may read it", e);
        }
        Set<X509Certificate> out = new LinkedHashSet<>();
        for (Path f : files) {
            out.addAll(ServerCertificate.readChain(f));
        }
        if (out.isEmpty()) {
            throw new ServerCertificate.CertificateProblem(dir + " holds no CA certificate (*.pem, *.crt or"
                    + " openssl rehash names); put the CA certificates there, or write cafile FILE", null);
        }
        return List.copyOf(out);
    }

    /** The PEM (or DER) CRLs of crlfile; a file that cannot be read or holds none is a problem. */
    public static Collection<X509CRL> readCrls(Path file) throws ServerCertificate.CertificateProblem {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ServerCertificate.CertificateProblem(file + ": cannot read the CRL file (" + e.getMessage()
                    + "); without it Vane would accept revoked client certificates, so it does not start; check"
                    + " the path and that Vane's user may read it", e);
        }
        try {
            Collection<? extends CRL> crls = CertificateFactory.getInstance("X.509")
                    .generateCRLs(new ByteArrayInputStream(data));
            List<X509CRL> out = new ArrayList<>();
            for (CRL c : crls) {
                out.add((X509CRL) c);
            }
            if (out.isEmpty()) {
                throw new ServerCertificate.CertificateProblem(file + ": no CRL in the file; point crlfile at a PEM"
                        + " file with -----BEGIN X509 CRL----- (openssl ca -gencrl makes one)", null);
            }
            return out;
        } catch (ServerCertificate.CertificateProblem e) {
            throw e;
        } catch (Exception e) {
            throw new ServerCertificate.CertificateProblem(file + ": no CRL in the file (" + e.getMessage() + "); point"
                    + " crlfile at a PEM file with -----BEGIN X509 CRL-----", e);
        }
    }
}
