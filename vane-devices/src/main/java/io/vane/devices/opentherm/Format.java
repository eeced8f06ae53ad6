package io.vane.devices.opentherm;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How a data value's bytes are read (OpenTherm 2.2, section 5.2): one flag of a byte, an unsigned or
 * signed byte, a signed fixed-point number with 8 fraction bits, an unsigned or signed 16-bit number, or
 * day of week and time of day.
 */
public enum Format {
    /** One bit of a byte: true or false. */
    FLAG8,
    /** 0 to 255. */
    U8,
    /** -128 to 127. */
    S8,
    /** The 16 bits as a signed number divided by 256: 0x1B00 is 27.00, 0xFC80 is -3.50. */
    F8_8,
    /** 0 to 65535. */
    U16,
    /** -32768 to 32767. */
    S16,
    /** High byte: day of week in bits 7-5 (1 Monday .. 7 Sunday, 0 unknown), hours in 4-0; low byte: minutes. */
    DOWTOD;

    private static final String[] DAYS = {"unknown", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
            "Saturday", "Sunday"};

    /**
     * The value of {@code which} byte (or both) of a frame: a Boolean, an Integer, a BigDecimal with two
     * decimals, or for {@link #DOWTOD} a text like {@code Tuesday 14:05}.
     */
    public Object decode(int high, int low, DataIds.Which which, int bit) {
        int one = which == DataIds.Which.LOW ? low : high;
        int both = high << 8 | low;
        return switch (this) {
            case FLAG8 -> (one >> bit & 1) == 1;
            case U8 -> one;
            case S8 -> (int) (byte) one;
            case F8_8 -> BigDecimal.valueOf((short) both).divide(BigDecimal.valueOf(256), 2, RoundingMode.HALF_EVEN);
            case U16 -> both;
            case S16 -> (int) (short) both;
            case DOWTOD -> DAYS[high >> 5] + String.format(" %02d:%02d", high & 0x1F, low);
        };
    }

    /**
     * How far a number must move from the last published value before it is published again: a tenth
     * of a degree (or bar, or percent) for fixed-point values, which jitter in their last bits; any
     * change for counts, flags and the rest.
     */
    public BigDecimal deadBand() {
        return this == F8_8 ? new BigDecimal("0.1") : BigDecimal.ZERO;
    }
}
