package io.vane.devices.p1;

/**
 * Why a telegram was not published. Counted per reason by {@link BadTelegrams}.
 *
 * @param reason the kind of fault
 * @param detail one short line for the log, e.g. {@code CRC 6EEF in the telegram, 6EEE computed}
 */
public record Rejection(Reason reason, String detail) {

    /** The kinds of fault a P1 line produces. */
    public enum Reason {
        /** The CRC after {@code !} does not match the telegram: a bit was lost or changed. */
        BAD_CRC("bad CRC"),
        /** A DSMR 4/5 or e-MUCS telegram without the CRC those always carry. */
        MISSING_CRC("missing CRC"),
        /** A new telegram began before this one ended: bytes were lost or the line dropped. */
        TRUNCATED("truncated"),
        /** Longer than any real telegram without ending: noise, or the wrong baud rate. */
        TOO_LONG("too long"),
        /** Lines that are not OBIS data, or values that are not what their code needs. */
        GARBLED("garbled"),
        /** Bytes outside any telegram (noise, a wrong baud rate, a converter's banner). */
        GARBAGE("garbage between telegrams");

        private final String words;

        Reason(String words) {
            this.words = words;
        }

        /** How the log says it. */
        public String words() {
            return words;
        }
    }
}
