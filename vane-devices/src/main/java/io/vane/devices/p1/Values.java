package io.vane.devices.p1;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * Reads the value texts of a telegram: {@code 000004.426*kWh}, {@code 00013}, hex-encoded text.
 * Throws IllegalArgumentException for a value that is not what it should be, so that a garbled
 * telegram without CRC (DSMR 2.2, 3.0) is rejected rather than published with a wrong number.
 */
final class Values {
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");
    private static final Pattern HEX = Pattern.compile("([0-9A-Fa-f]{2})*");

    private Values() {
    }

    /**
     * The number in {@code value*unit}, converted to {@code target} (W to kW, Wh to kWh); without a
     * target, in its own unit. A value without a unit is taken to be in the target unit.
     */
    static BigDecimal number(String text, String target) {
        int star = text.indexOf('*');
        String digits = star < 0 ? text : text.substring(0, star);
        String unit = star < 0 ? null : text.substring(star + 1);
        if (!DECIMAL.matcher(digits).matches()) {
            throw new IllegalArgumentException("number '" + text + "'");
        }
        BigDecimal n = new BigDecimal(digits);
        if (unit == null || target == null || si(unit).equals(target)) {
            return n;
        }
        if ((unit.equals("W") && target.equals("kW")) || (unit.equals("Wh") && target.equals("kWh"))) {
            return n.movePointLeft(3);
        }
        throw new IllegalArgumentException("unit '" + unit + "' where " + target + " belongs");
    }

    /** The unit written after {@code *}, in its usual symbol ({@code m3} is m³), or null. */
    static String unitOf(String text) {
        int star = text.indexOf('*');
        return star < 0 ? null : si(text.substring(star + 1));
    }

    /** A whole number such as {@code 00013}. */
    static long count(String text) {
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("count '" + text + "'");
        }
        return Long.parseLong(text);
    }

    /** Hex-encoded text decoded ({@code 303132} is {@code 012}); text that is not hex is kept as written. */
    static String hexText(String text) {
        if (!HEX.matcher(text).matches()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() / 2);
        for (int i = 0; i < text.length(); i += 2) {
            out.append((char) Integer.parseInt(text.substring(i, i + 2), 16));
        }
        return out.toString();
    }

    static String si(String unit) {
        return unit.equals("m3") ? "m³" : unit;
    }
}
