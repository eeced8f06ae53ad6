package io.vane.broker.auth;

/**
 * Who a connected client is, for access control.
 *
 * @param username the verified user name, or null for an anonymous client
 * @param listenerPort the listener it came in on, for per-listener rules
 */
public record ClientIdentity(String clientId, String username, int listenerPort) {

    public boolean isAnonymous() {
        return username == null;
    }
}
