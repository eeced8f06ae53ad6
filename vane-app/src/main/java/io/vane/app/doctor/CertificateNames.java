package io.vane.app.doctor;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The host names and addresses a server certificate is valid for, and whether a name is one of them,
 * by RFC 6125's rules as browsers apply them: subjectAltName DNS and IP entries (the CN only when
 * there are none), and a {@code *.} wildcard covering exactly one leftmost label.
 */
final class CertificateNames {
    private CertificateNames() {
    }

    /** The names the certificate covers, as written in it. */
    static List<String> of(X509Certificate cert) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    if (type == 2 || type == 7) { // dNSName, iPAddress
                        names.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // unreadable extension: fall back to the CN like an old client would
        }
        if (names.isEmpty()) {
            try {
                for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                    if (rdn.getType().equalsIgnoreCase("CN")) {
                        names.add(String.valueOf(rdn.getValue()));
                    }
                }
            } catch (InvalidNameException e) {
                // no CN either: the certificate names nothing
            }
        }
        return names;
    }

    /** Whether {@code host} (a name or an IP literal) is covered by the certificate. */
    static boolean covers(X509Certificate cert, String host) {
        String h = host.toLowerCase(Locale.ROOT);
        boolean ip = h.contains(":") || h.matches("[0-9.]+");
        for (String name : of(cert)) {
            String n = name.toLowerCase(Locale.ROOT);
            if (ip ? sameAddress(n, h) : matchesName(n, h)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesName(String pattern, String host) {
        if (pattern.startsWith("*.")) {
            int dot = host.indexOf('.');
            return dot > 0 && host.substring(dot + 1).equals(pattern.substring(2));
        }
        return pattern.equals(host);
    }

    private static boolean sameAddress(String a, String b) {
        if (!(a.contains(":") || a.matches("[0-9.]+"))) {
            return false;
        }
        try {
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
