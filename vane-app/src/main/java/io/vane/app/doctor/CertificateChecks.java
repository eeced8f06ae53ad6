package io.vane.app.doctor;

import io.vane.transport.ListenerConfig;
import io.vane.transport.tls.ServerCertificate;
import java.net.URI;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Each TLS listener's certificate: in date, not expiring within {@link #SOON}, matching its key, and
 * valid for the public host name. An expired certificate still served after a renewal is a known
 * failure (the broker was not told to re-read it).
 */
final class CertificateChecks {
    static final String GROUP = "tls";
    /** Warn this long before expiry: certbot renews 30 days before, so 14 left means renewal is failing. */
    static final Duration SOON = Duration.ofDays(14);

    private CertificateChecks() {
    }

    static void run(Doctor d) {
        boolean any = false;
        for (ListenerConfig l : d.config.listeners()) {
            if (l.tls() != null) {
                any = true;
                check(d, l);
            }
        }
        if (!any) {
            d.report().pass(GROUP, "no listener uses TLS, so there are no certificates to check");
        }
    }

    private static void check(Doctor d, ListenerConfig l) {
        Report r = d.report();
        String name = "port " + l.port() + " certificate " + l.tls().certfile();
        X509Certificate cert;
        PrivateKey key;
        try {
            cert = ServerCertificate.readChain(l.tls().certfile()).get(0);
            key = ServerCertificate.readKey(l.tls().keyfile());
        } catch (ServerCertificate.CertificateProblem | RuntimeException e) {
            return; // the files checks said why it cannot be read
        }
        validity(r, GROUP, name, cert, Instant.now());
        if (!matches(cert.getPublicKey(), key)) {
            r.fail(GROUP, name + " does not belong to keyfile " + l.tls().keyfile(),
                    "use the key made with this certificate (certbot: privkey.pem beside fullchain.pem in the same"
                    + " live/ folder)");
        } else {
            r.pass(GROUP, name + " matches its key " + l.tls().keyfile());
        }
        URI url = d.inputs().publicUrl();
        if (url != null && url.getHost() != null && servesPublicUrl(d, l, url)) {
            String host = url.getHost();
            if (CertificateNames.covers(cert, host)) {
                r.pass(GROUP, name + " is valid for " + host);
            } else {
                r.fail(GROUP, name + " is for " + String.join(", ", CertificateNames.of(cert)) + ", not " + host,
                        hostFix(host, CertificateNames.of(cert)));
            }
        }
    }

    static void validity(Report r, String group, String name, X509Certificate cert, Instant now) {
        Instant notAfter = cert.getNotAfter().toInstant();
        Instant notBefore = cert.getNotBefore().toInstant();
        if (now.isAfter(notAfter)) {
            r.fail(group, name + " expired on " + notAfter,
                    "renew it (certbot renew), then make Vane re-read it: sudo systemctl reload vane");
        } else if (now.isBefore(notBefore)) {
            r.fail(group, name + " is not valid before " + notBefore,
                    "check this machine's clock (timedatectl), or wait until then");
        } else if (now.plus(SOON).isAfter(notAfter)) {
            r.warn(group, name + " expires on " + notAfter + ", within " + SOON.toDays() + " days",
                    "renewal is failing: run certbot renew --dry-run to see why, then sudo systemctl reload vane");
        } else {
            r.pass(group, name + " is valid until " + notAfter);
        }
    }

    static String hostFix(String host, List<String> names) {
        return "the page's host name and the certificate's name must match: get a certificate for " + host
                + " (certbot certonly -d " + host + ", or vane cert " + host + ")"
                + (names.isEmpty() ? "" : ", or use " + names.get(0) + " in mqtt_websockets_host and the URL");
    }

    /** The listener the public URL reaches: the one on its port, else (behind a proxy) any wss listener. */
    private static boolean servesPublicUrl(Doctor d, ListenerConfig l, URI url) {
        int port = WebSocketChecks.port(url);
        boolean someListenerOnPort = d.config.listeners().stream().anyMatch(x -> x.port() == port);
        return someListenerOnPort ? l.port() == port : l.protocol() == ListenerConfig.Protocol.WEBSOCKETS;
    }

    /** Whether {@code key} is the private half of {@code pub}: it signs, the certificate's key verifies. */
    static boolean matches(PublicKey pub, PrivateKey key) {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (alg == null) {
            return pub.getAlgorithm().equals(key.getAlgorithm());
        }
        try {
            byte[] data = new byte[32];
            new SecureRandom().nextBytes(data);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(data);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(pub);
            v.update(data);
            return v.verify(sig);
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }
}
