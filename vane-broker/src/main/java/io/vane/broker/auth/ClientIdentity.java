package io.vane.broker.auth;

/**
 * Who a connected client is, for access control.
 *
 * @param username the verified user name, or null for an anonymous client
 * @param listenerPort the listener it came in on, for per-listener rules
 * @param internal a trusted in-process client of the broker's own
 */
public record ClientIdentity(String clientId, String username, int listenerPort, boolean internal) {

    public ClientIdentity(String clientId, String username, int listenerPort) {
        this(clientId, username, listenerPort, false);
    }

    /** A part of Vane itself (a device source, the dashboard's history): no ACL applies to it. */
    public static ClientIdentity internal(String clientId) {
        return new ClientIdentity(clientId, null, 0, true);
    }

    public boolean isAnonymous() {
        return username == null;
    }
}
