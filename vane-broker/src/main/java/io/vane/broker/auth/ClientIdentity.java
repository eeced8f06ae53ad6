package io.vane.broker.auth;

/**
 * Who a connected client is, for access control.
 *
 * @param username the verified user name, or null for an anonymous client
 * @param listenerPort the listener it came in on, for per-listener rules
 * @param internal a trusted in-process client of the broker's own
 * @param remoteAddress where the client connects from ({@code ip:port}, or the address a trusted proxy
 *     named), or null when unknown; decides whether anonymous clients may read home data (decision 0014)
 */
public record ClientIdentity(String clientId, String username, int listenerPort, boolean internal,
        String remoteAddress) {

    public ClientIdentity(String clientId, String username, int listenerPort) {
        this(clientId, username, listenerPort, false, null);
    }

    public ClientIdentity(String clientId, String username, int listenerPort, boolean internal) {
        this(clientId, username, listenerPort, internal, null);
    }

    /** A network client connected from {@code remoteAddress}. */
    public static ClientIdentity remote(String clientId, String username, int listenerPort, String remoteAddress) {
        return new ClientIdentity(clientId, username, listenerPort, false, remoteAddress);
    }

    /** A part of Vane itself (a device source, the dashboard's history): no ACL applies to it. */
    public static ClientIdentity internal(String clientId) {
        return new ClientIdentity(clientId, null, 0, true);
    }

    public boolean isAnonymous() {
        return username == null;
    }
}
