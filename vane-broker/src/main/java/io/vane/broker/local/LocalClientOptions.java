package io.vane.broker.local;

import io.netty.util.concurrent.EventExecutor;
import io.vane.broker.Message;

/**
 * How a {@link LocalClient} connects.
 *
 * @param clientId its client id; a network client with the same id takes the session over, as always
 * @param username the user whose ACL rules apply, or null for anonymous; ignored when {@code trusted}
 * @param trusted a part of the broker itself (a device source, the history): no ACL applies
 * @param will published when the client aborts (not on {@link LocalClient#close()}), or null
 * @param executor the thread to run on, or null for a thread of the client's own
 */
public record LocalClientOptions(String clientId, String username, boolean trusted, Message will,
        EventExecutor executor) {

    /** A part of Vane itself: trusted, no will, its own thread. */
    public static LocalClientOptions internal(String clientId) {
        return new LocalClientOptions(clientId, null, true, null, null);
    }

    /** A client acting as {@code username} (null: anonymous) under the broker's ACL. */
    public static LocalClientOptions asUser(String clientId, String username) {
        return new LocalClientOptions(clientId, username, false, null, null);
    }

    public LocalClientOptions withWill(Message newWill) {
        return new LocalClientOptions(clientId, username, trusted, newWill, executor);
    }

    public LocalClientOptions withExecutor(EventExecutor newExecutor) {
        return new LocalClientOptions(clientId, username, trusted, will, newExecutor);
    }
}
