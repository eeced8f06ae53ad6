package io.vane.broker.auth;

/**
 * Decides whether a CONNECT's credentials are accepted. Called on the connection's event loop, so an
 * implementation must not block for long. The answer never says which part was wrong.
 */
@FunctionalInterface
public interface Authenticator {

    /** Accepts everyone: the broker core's default until a password file is configured. */
    Authenticator ALLOW_ALL = credentials -> AuthResult.ACCEPTED;

    AuthResult authenticate(Credentials credentials);

    /** The outcome: accepted, or refused with a 5.0 CONNACK reason code (0x86, 0x87, 0x8A ...). */
    record AuthResult(boolean accepted, int reasonCode) {
        public static final AuthResult ACCEPTED = new AuthResult(true, 0);

        public static AuthResult refused(int reasonCode) {
            return new AuthResult(false, reasonCode);
        }
    }
}
