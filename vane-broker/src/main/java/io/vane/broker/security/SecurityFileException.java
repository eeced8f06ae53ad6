package io.vane.broker.security;

/**
 * A password or ACL file that cannot be used: its message is {@code file:line: problem; write ...}
 * (or {@code file: problem} for the file as a whole), ready to print at start-up or on reload.
 */
public final class SecurityFileException extends Exception {
    private static final long serialVersionUID = 1L;

    public SecurityFileException(String message) {
        super(message);
    }

    public SecurityFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
