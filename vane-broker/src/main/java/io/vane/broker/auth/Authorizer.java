package io.vane.broker.auth;

/**
 * Topic-level access control. Called on hot paths (every PUBLISH in, every delivery out), so an
 * implementation answers from memory.
 */
public interface Authorizer {

    /** Lets everyone read and write everything. */
    Authorizer ALLOW_ALL = new Authorizer() {
        @Override
        public boolean canPublish(ClientIdentity client, String topic) {
            return true;
        }

        @Override
        public boolean canSubscribe(ClientIdentity client, String filter) {
            return true;
        }

        @Override
        public boolean canRead(ClientIdentity client, String topic) {
            return true;
        }
    };

    boolean canPublish(ClientIdentity client, String topic);

    /** Whether a SUBSCRIBE to the filter is granted at all (could it ever deliver something readable?). */
    boolean canSubscribe(ClientIdentity client, String filter);

    /** Whether one message on {@code topic} may be delivered to the client. */
    boolean canRead(ClientIdentity client, String topic);
}
