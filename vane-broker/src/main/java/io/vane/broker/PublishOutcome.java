package io.vane.broker;

/**
 * What became of one published message once the broker has taken it.
 *
 * @param delivered how many sessions and in-process subscribers it went to (0: a 5.0 PUBACK says
 *     "No matching subscribers", 0x10)
 */
public record PublishOutcome(int delivered) {
}
