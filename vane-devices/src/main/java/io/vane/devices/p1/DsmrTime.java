package io.vane.devices.p1;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * P1 timestamps, {@code YYMMDDhhmmssX}: local time in the Netherlands and Belgium, where X is
 * {@code S} (summer, UTC+2) or {@code W} (winter, UTC+1). Without X (the DSMR 2.2/3.0 hourly gas
 * reading) the offset follows the Central European rules of that date.
 */
final class DsmrTime {
    private static final ZoneId CENTRAL_EUROPE = ZoneId.of("Europe/Amsterdam");

    private DsmrTime() {
    }

    /** The instant {@code text} names; throws IllegalArgumentException when it is not a P1 timestamp. */
    static Instant parse(String text) {
        int n = text.length();
        if ((n != 12 && n != 13) || !text.substring(0, 12).chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("timestamp '" + text + "'");
        }
        try {
            LocalDateTime local = LocalDateTime.of(2000 + num(text, 0), num(text, 2), num(text, 4), num(text, 6),
                    num(text, 8), num(text, 10));
            if (n == 12) {
                return local.atZone(CENTRAL_EUROPE).toInstant();
            }
            return switch (text.charAt(12)) {
                case 'S' -> local.toInstant(ZoneOffset.ofHours(2));
                case 'W' -> local.toInstant(ZoneOffset.ofHours(1));
                default -> throw new IllegalArgumentException("timestamp flag '" + text.charAt(12) + "'");
            };
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("timestamp '" + text + "'", e);
        }
    }

    /** The daylight flag of a timestamp text, or null without one. */
    static Boolean summer(String text) {
        return text.length() == 13 ? text.charAt(12) == 'S' : null;
    }

    private static int num(String s, int at) {
        return (s.charAt(at) - '0') * 10 + (s.charAt(at + 1) - '0');
    }
}
