package io.vane.broker.auth;

/**
 * Decides whether a CONNECT's credentials are accepted. Called on the connection's event loop, so an
 * implementation must not block for long. The answer never says which part was wrong.
 */
@FunctionalInterface
public interface Authenticator {

    /** Accepts everyone, trusting the user name given. */
    Authenticator ALLOW_ALL = credentials -> AuthResult.accepted(credentials.username());

    AuthResult authenticate(Credentials credentials);

    /**
     * Whether checking a password on this listener takes long (argon2id, many PBKDF2 iterations): then the
     * broker calls {@link #authenticate} off the event loops, so a login storm does not stall deliveries.
     * The same answer for every user of the listener, so the hop itself says nothing about who exists.
     */
    default boolean slowPasswordChecks(int listenerPort) {
        return false;
    }

    /**
     * The outcome: accepted as a user (null: anonymous), or refused with a 5.0 CONNACK reason code
     * (0x86 Bad User Name or Password, 0x87 Not authorized, 0x8A Banned).
     */
    record AuthResult(boolean accepted, int reasonCode, String username) {

        public static AuthResult accepted(String username) {
            return new AuthResult(true, 0, username);
        }

        public static AuthResult refused(int reasonCode) {
            return new AuthResult(false, reasonCode, null);
        }
    }
}
