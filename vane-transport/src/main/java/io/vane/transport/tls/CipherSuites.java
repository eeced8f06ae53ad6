package io.vane.transport.tls;

import io.netty.handler.ssl.CipherSuiteConverter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * Which cipher suites a TLS listener offers (decision 0008). By default only suites with forward
 * secrecy and authenticated encryption: ECDHE or DHE key exchange with AES-GCM or ChaCha20-Poly1305 for
 * TLS 1.2, and the TLS 1.3 suites (all of which have both). No static-RSA key exchange, no CBC, unless
 * the config's {@code ciphers} / {@code ciphers_tls1.3} ask for them.
 */
public final class CipherSuites {
    /** TLS 1.2: ECDHE/DHE with AEAD, strongest first. */
    public static final List<String> DEFAULT_TLS12 = List.of(
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    /** TLS 1.3: its three common suites, as OpenSSL's default. */
    public static final List<String> DEFAULT_TLS13 = List.of(
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_AES_128_GCM_SHA256");

    private CipherSuites() {
    }

    /** The suites to enable for these settings, in order: the TLS 1.3 ones, then TLS 1.2's. */
    static List<String> forListener(TlsSettings s) throws ServerCertificate.CertificateProblem {
        List<String> tls12 = DEFAULT_TLS12;
        List<String> tls13 = DEFAULT_TLS13;
        if (given(s.ciphers())) {
            List<String> named = names(s.ciphers(), "ciphers");
            tls12 = named.stream().filter(n -> !isTls13(n)).toList();
            List<String> named13 = named.stream().filter(CipherSuites::isTls13).toList();
            if (!named13.isEmpty() && !given(s.ciphersTls13())) {
                tls13 = named13;
            }
        }
        if (given(s.ciphersTls13())) {
            tls13 = names(s.ciphersTls13(), "ciphers_tls1.3");
            for (String n : tls13) {
                if (!isTls13(n)) {
                    throw new ServerCertificate.CertificateProblem("ciphers_tls1.3: '" + n + "' is not a TLS 1.3"
                            + " suite; write TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384 or"
                            + " TLS_CHACHA20_POLY1305_SHA256, or put it in ciphers", null);
                }
            }
        }
        Set<String> supported = Supported.SUITES;
        List<String> out = new ArrayList<>();
        for (String n : tls13) {
            if (supported.contains(n)) {
                out.add(n);
            }
        }
        for (String n : tls12) {
            if (supported.contains(n)) {
                out.add(n);
            }
        }
        if (out.isEmpty()) {
            throw new ServerCertificate.CertificateProblem("none of the cipher suites in ciphers / ciphers_tls1.3"
                    + " is available in this Java; comment the options out for Vane's defaults", null);
        }
        return List.copyOf(out);
    }

    private static boolean given(String v) {
        return v != null && !v.isBlank();
    }

    /** TLS 1.3 suite names have no key exchange in them. */
    static boolean isTls13(String iana) {
        return iana.startsWith("TLS_AES_") || iana.startsWith("TLS_CHACHA20_");
    }

    /** Colon-, comma- or space-separated names, OpenSSL's converted to IANA; unknown ones refused. */
    static List<String> names(String text, String option) throws ServerCertificate.CertificateProblem {
        Set<String> out = new LinkedHashSet<>();
        for (String raw : text.split("[:,\\s]+")) {
            if (raw.isEmpty()) {
                continue;
            }
            String name = raw;
            if (!name.startsWith("TLS_") && !name.startsWith("SSL_")) {
                String java = CipherSuiteConverter.toJava(name, "TLS");
                if (java == null) {
                    throw new ServerCertificate.CertificateProblem(option + ": '" + raw + "' is not a cipher suite"
                            + " Vane knows (OpenSSL keywords such as HIGH or !aNULL are not supported); list suites"
                            + " by name, e.g. ECDHE-RSA-AES128-GCM-SHA256", null);
                }
                name = java;
            }
            if (!Supported.SUITES.contains(name)) {
                throw new ServerCertificate.CertificateProblem(option + ": '" + raw + "' is not offered by this"
                        + " Java; remove it, or comment the option out for Vane's defaults", null);
            }
            out.add(name);
        }
        return List.copyOf(out);
    }

    /** The JDK's supported suites, read once. */
    private static final class Supported {
        static final Set<String> SUITES = load();

        private static Set<String> load() {
            try {
                SSLContext ctx = SSLContext.getInstance("TLS");
                // Empty managers: the default ones would read the JDK's cacerts, for nothing.
                ctx.init(new javax.net.ssl.KeyManager[0], new javax.net.ssl.TrustManager[0], null);
                return Set.of(ctx.getSupportedSSLParameters().getCipherSuites());
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException("TLS is part of every JDK", e);
            }
        }
    }
}
