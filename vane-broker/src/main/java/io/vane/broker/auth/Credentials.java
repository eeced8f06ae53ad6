package io.vane.broker.auth;

/**
 * What a client presents in CONNECT, with where it comes from.
 *
 * @param username null when absent
 * @param password null when absent; callers must not keep it
 * @param remoteAddress host:port of the peer, for logs and rate limits
 * @param listenerPort the port of the listener the client connected to (per-listener settings)
 */
public record Credentials(String clientId, String username, byte[] password, String remoteAddress,
        int listenerPort) {

    @Override
    public String toString() {
        // Never print the password.
        return "Credentials[" + clientId + ", user=" + username + ", from " + remoteAddress + "]";
    }
}
