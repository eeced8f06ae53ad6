package io.vane.broker;

/**
 * What became of one published message once the broker has taken it.
 *
 * @param delivered how many sessions and in-process subscribers it went to (0: a 5.0 PUBACK says
 *     "No matching subscribers", 0x10)
 * @param notStoredBecause null when the message is as safe as the broker keeps it; otherwise why the
 *     store could not write it (disk full, read-only): the message must not be acknowledged as taken
 */
public record PublishOutcome(int delivered, String notStoredBecause) {

    public PublishOutcome(int delivered) {
        this(delivered, null);
    }

    static PublishOutcome notStored(int delivered, Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new PublishOutcome(delivered, why);
    }

    public boolean isStored() {
        return notStoredBecause == null;
    }
}
