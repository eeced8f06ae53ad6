package io.vane.broker.auth;

/**
 * Topic-level access control. Called on hot paths (every PUBLISH in, every delivery out), so an
 * implementation answers from memory. Clients are identified by client id and username (null when
 * anonymous).
 */
public interface Authorizer {

    /** Lets everyone read and write everything: the broker core's default. */
    Authorizer ALLOW_ALL = new Authorizer() {
        @Override
        public boolean canPublish(String clientId, String username, String topic) {
            return true;
        }

        @Override
        public boolean canSubscribe(String clientId, String username, String filter) {
            return true;
        }

        @Override
        public boolean canRead(String clientId, String username, String topic) {
            return true;
        }
    };

    boolean canPublish(String clientId, String username, String topic);

    /** Whether a SUBSCRIBE to the filter is granted at all. */
    boolean canSubscribe(String clientId, String username, String filter);

    /** Whether one message on {@code topic} may be delivered to the client. */
    boolean canRead(String clientId, String username, String topic);
}
