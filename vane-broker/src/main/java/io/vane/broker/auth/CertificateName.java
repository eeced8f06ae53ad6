package io.vane.broker.auth;

import javax.security.auth.x500.X500Principal;

/**
 * Whether a TLS listener takes the user name from the client's verified certificate instead of CONNECT
 * (mosquitto.conf(5), per listener): {@code use_identity_as_username} (the subject's common name) or
 * {@code use_subject_as_username} (the whole subject, written as Mosquitto writes it). With either, the
 * password is not used and a client without a certificate is refused.
 */
public enum CertificateName {
    /** The user name comes from CONNECT and is checked against the password file. */
    NONE,
    /** use_identity_as_username true: the subject's CN; it takes priority over SUBJECT, as in Mosquitto. */
    COMMON_NAME,
    /** use_subject_as_username true: the subject in OpenSSL's RFC 2253 form ({@link SubjectText}). */
    SUBJECT;

    /** The user name this certificate subject gives, or null when it gives none (no CN, a NUL in it). */
    public String userName(X500Principal subject) {
        if (subject == null) {
            return null;
        }
        return switch (this) {
            case NONE -> null;
            case COMMON_NAME -> SubjectText.commonName(subject);
            case SUBJECT -> SubjectText.rfc2253(subject);
        };
    }
}
