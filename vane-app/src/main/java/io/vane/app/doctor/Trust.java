package io.vane.app.doctor;

import io.vane.transport.tls.ServerCertificate;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** The TLS trust the probes use. */
final class Trust {
    private Trust() {
    }

    /**
     * What a visitor's browser trusts: the JDK's CA list, or only {@code cafile}'s CAs when given (a home
     * CA made by {@code vane cert}, whose ca.pem visitors import).
     */
    static SSLContext of(Path cafile) throws IOException {
        try {
            if (cafile == null) {
                return SSLContext.getDefault();
            }
            List<X509Certificate> cas;
            try {
                cas = ServerCertificate.readChain(cafile);
            } catch (ServerCertificate.CertificateProblem e) {
                throw new IOException(cafile + ": " + e.getMessage(), e);
            }
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                ks.setCertificateEntry("ca" + i, cas.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /**
     * Accepts any certificate: only for the probes of the broker's own listeners on 127.0.0.1, whose
     * certificate files the TLS checks read and judge directly; there the name never matches 127.0.0.1.
     */
    static SSLContext acceptingAny() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                    // not a server
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                    // judged from the files instead (see above)
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no TLS", e);
        }
    }
}
