package io.vane.broker.auth;

import javax.security.auth.x500.X500Principal;

/**
 * What a client presents in CONNECT, with where it comes from.
 *
 * @param username null when absent
 * @param password null when absent; callers must not keep it
 * @param remoteAddress host:port of the peer, for logs and rate limits
 * @param listenerPort the port of the listener the client connected to (per-listener settings)
 * @param certificate the subject of the client certificate the TLS handshake verified, or null (no TLS,
 *     or no certificate)
 * @param certificateName whether the listener takes the user name from that certificate
 */
public record Credentials(String clientId, String username, byte[] password, String remoteAddress,
        int listenerPort, X500Principal certificate, CertificateName certificateName) {

    public Credentials {
        certificateName = certificateName == null ? CertificateName.NONE : certificateName;
    }

    /** Credentials of a client whose listener does not look at certificates. */
    public Credentials(String clientId, String username, byte[] password, String remoteAddress, int listenerPort) {
        this(clientId, username, password, remoteAddress, listenerPort, null, CertificateName.NONE);
    }

    @Override
    public String toString() {
        // Never print the password.
        return "Credentials[" + clientId + ", user=" + username + ", from " + remoteAddress + "]";
    }
}
