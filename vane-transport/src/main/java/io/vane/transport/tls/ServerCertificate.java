package io.vane.transport.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Builds a server {@link SslContext} from PEM files and checks them first: the chain parses, the key
 * parses (PKCS#8, PKCS#1 or SEC1), and the key belongs to the certificate. Every problem comes back
 * as one sentence naming the file and what to fix.
 */
public final class ServerCertificate {
    private ServerCertificate() {
    }

    /** What was loaded: the context plus the leaf certificate, for logs. */
    public record Loaded(SslContext context, X509Certificate leaf) {
    }

    /** Thrown with a message a user can act on. */
    public static final class CertificateProblem extends Exception {
        private static final long serialVersionUID = 1L;

        public CertificateProblem(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static Loaded load(TlsSettings s) throws CertificateProblem {
        if (s.certfile() == null || s.keyfile() == null) {
            throw new CertificateProblem("a TLS listener needs both certfile and keyfile; add "
                    + (s.certfile() == null ? "certfile /path/fullchain.pem" : "keyfile /path/privkey.pem"), null);
        }
        List<X509Certificate> chain = readChain(s.certfile());
        if (s.cafile() != null || s.capath() != null) {
            // OpenSSL builds the chain it sends from both: so does Vane.
            List<X509Certificate> cas = new java.util.ArrayList<>();
            if (s.cafile() != null) {
                cas.addAll(readChain(s.cafile()));
            }
            if (s.capath() != null) {
                cas.addAll(ClientTrust.readCapath(s.capath()));
            }
            chain = completeChain(chain, cas);
        }
        PrivateKey key = readKey(s.keyfile());
        checkPair(chain.get(0), key, s);
        List<String> suites = CipherSuites.forListener(s);
        // Outside the try: the CA and CRL files' problems keep their own words.
        javax.net.ssl.TrustManagerFactory clients = ClientTrust.forListener(s);
        try {
            // The key and chain go in as they are, and without cafile no trust store is read (the JDK's
            // cacerts is loaded otherwise, for client certificates nobody is asked for): what used to
            // make a TLS listener come up seconds after the others (decision 0008).
            SslContextBuilder b = SslContextBuilder.forServer(
                    new OneKeyManager(key, chain.toArray(new X509Certificate[0])))
                    .protocols(protocols(s.tlsVersion()));
            if (clients != null) {
                b.trustManager(clients);
            } else {
                b.trustManager(NoClientCertificates.INSTANCE);
            }
            b.clientAuth(s.requireCertificate() ? ClientAuth.REQUIRE : ClientAuth.NONE);
            b.ciphers(suites);
            return new Loaded(b.build(), chain.get(0));
        } catch (Exception e) {
            throw new CertificateProblem("cannot set up TLS with " + s.certfile() + " and " + s.keyfile() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The certfile's chain, followed by the intermediates from cafile that issued it, up to (not
     * including) a self-signed root: what Mosquitto sends (OpenSSL builds the chain from the CA file), so
     * Let's Encrypt's {@code cert.pem} with {@code chain.pem} as cafile works for clients that trust only
     * the root. A chain that already ends at a root, or whose issuer is not in cafile, stays as it is.
     */
    static List<X509Certificate> completeChain(List<X509Certificate> chain, List<X509Certificate> cas) {
        List<X509Certificate> full = new java.util.ArrayList<>(chain);
        while (full.size() < 10) {
            X509Certificate last = full.get(full.size() - 1);
            if (last.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
                break; // a root: the client has it or does not trust it anyway
            }
            X509Certificate issuer = null;
            for (X509Certificate ca : cas) {
                if (ca.getSubjectX500Principal().equals(last.getIssuerX500Principal()) && signed(last, ca)
                        && !full.contains(ca)) {
                    issuer = ca;
                    break;
                }
            }
            if (issuer == null || issuer.getSubjectX500Principal().equals(issuer.getIssuerX500Principal())) {
                break;
            }
            full.add(issuer);
        }
        return full;
    }

    private static boolean signed(X509Certificate cert, X509Certificate by) {
        try {
            cert.verify(by.getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** tls_version is the oldest version allowed, as in Mosquitto 2.0. */
    static String[] protocols(String tlsVersion) throws CertificateProblem {
        if (tlsVersion == null || tlsVersion.equals("tlsv1.2")) {
            return new String[] {"TLSv1.3", "TLSv1.2"};
        }
        if (tlsVersion.equals("tlsv1.3")) {
            return new String[] {"TLSv1.3"};
        }
        throw new CertificateProblem("tls_version '" + tlsVersion + "' is not offered; write tls_version tlsv1.2"
                + " or tls_version tlsv1.3", null);
    }

    public static List<X509Certificate> readChain(Path file) throws CertificateProblem {
        try {
            byte[] pem = Files.readAllBytes(file);
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            @SuppressWarnings("unchecked")
            List<X509Certificate> certs = (List<X509Certificate>) (List<?>) List.copyOf(
                    cf.generateCertificates(new ByteArrayInputStream(pem)));
            if (certs.isEmpty()) {
                throw new CertificateProblem(file + ": no certificate in the file; point certfile at a PEM file"
                        + " with -----BEGIN CERTIFICATE----- (e.g. fullchain.pem)", null);
            }
            return certs;
        } catch (CertificateProblem e) {
            throw e;
        } catch (java.io.IOException e) {
            throw new CertificateProblem(file + ": cannot read (" + e.getMessage() + ")", e);
        } catch (Exception e) {
            throw new CertificateProblem(file + ": not a PEM certificate (" + e.getMessage() + "); point certfile"
                    + " at a file with -----BEGIN CERTIFICATE-----", e);
        }
    }

    public static PrivateKey readKey(Path file) throws CertificateProblem {
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(file))) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo()); // PKCS#1 RSA or SEC1 EC
            }
            if (o instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info); // PKCS#8
            }
            throw new CertificateProblem(file + ": no unencrypted private key in the file; point keyfile at a PEM"
                    + " key (e.g. privkey.pem)", null);
        } catch (CertificateProblem e) {
            throw e;
        } catch (Exception e) {
            throw new CertificateProblem(file + ": cannot read the private key (" + e.getMessage() + ")", e);
        }
    }

    /** Signs a challenge with the key and verifies it with the certificate: they must be a pair. */
    static void checkPair(X509Certificate cert, PrivateKey key, TlsSettings s) throws CertificateProblem {
        try {
            String alg = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256with" + key.getAlgorithm();
            byte[] challenge = "vane key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(alg);
            signer.initSign(key);
            signer.update(challenge);
            byte[] sig = signer.sign();
            Signature verifier = Signature.getInstance(alg);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(challenge);
            if (!verifier.verify(sig)) {
                throw new CertificateProblem(s.keyfile() + " does not belong to the certificate in " + s.certfile()
                        + "; use the key that was made with that certificate (privkey.pem next to fullchain.pem)",
                        null);
            }
        } catch (CertificateProblem e) {
            throw e;
        } catch (Exception e) {
            throw new CertificateProblem(s.keyfile() + " does not belong to the certificate in " + s.certfile()
                    + " (" + e.getMessage() + "); use the key that was made with that certificate", e);
        }
    }
}
