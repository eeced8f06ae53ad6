package io.vane.devices.opentherm;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * The commands a client may send on {@code PREFIX/set/NAME}, with otmonitor's names, the gateway's
 * two-letter codes and the values each accepts. A value outside its range is refused here and never
 * reaches the gateway.
 */
public final class Commands {

    /**
     * One command.
     *
     * @param name the last topic level ({@code setpoint})
     * @param code the gateway's command ({@code TT})
     * @param min the lowest number accepted, or null for a choice of words
     * @param max the highest number accepted
     * @param decimals how many decimals a number may have
     * @param words the accepted words when not a number
     * @param meaning for the refusal message and the docs
     */
    public record Command(String name, String code, BigDecimal min, BigDecimal max, int decimals, List<String> words,
            String meaning) {
        /** The line to send for {@code value}, or throws IllegalArgumentException saying what is accepted. */
        String line(String value) {
            String v = value.strip();
            if (min == null) {
                String w = v.toUpperCase(Locale.ROOT);
                if (!words.contains(w)) {
                    throw new IllegalArgumentException(name + " takes " + String.join(", ", words) + " (" + meaning
                            + "), not '" + clip(v) + "'");
                }
                return code + "=" + w;
            }
            BigDecimal n;
            try {
                n = new BigDecimal(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " takes a number from " + min.toPlainString() + " to "
                        + max.toPlainString() + " (" + meaning + "), not '" + clip(v) + "'");
            }
            if (n.compareTo(min) < 0 || n.compareTo(max) > 0 || n.stripTrailingZeros().scale() > decimals) {
                throw new IllegalArgumentException(name + " " + clip(v) + " is out of range: " + min.toPlainString()
                        + " to " + max.toPlainString() + (decimals > 0 ? " in steps of 0." + "0".repeat(decimals - 1)
                        + "1" : ", whole numbers") + " (" + meaning + ")");
            }
            BigDecimal plain = n.stripTrailingZeros();
            return code + "=" + (plain.scale() < 0 ? plain.setScale(0) : plain).toPlainString();
        }
    }

    private static Command number(String name, String code, String min, String max, int decimals, String meaning) {
        return new Command(name, code, new BigDecimal(min), new BigDecimal(max), decimals, List.of(), meaning);
    }

    private static Command words(String name, String code, String meaning, String... words) {
        return new Command(name, code, null, null, 0, List.of(words), meaning);
    }

    /** Every command, in the order of the docs. */
    public static final List<Command> ALL = List.of(
            number("setpoint", "TT", "0", "30", 2, "temporary room setpoint in °C, 0 gives control back"),
            number("constant", "TC", "0", "30", 2, "constant room setpoint in °C, 0 gives control back"),
            number("outside", "OT", "-40", "64", 2, "outside temperature in °C shown to the thermostat"),
            words("hotwater", "HW", "0 off, 1 on, P push once, A automatic", "0", "1", "P", "A"),
            number("maxchsetpt", "SH", "0", "90", 2, "maximum central heating water temperature in °C"),
            number("maxdhwsetpt", "SW", "0", "80", 2, "domestic hot water setpoint in °C"),
            number("maxmodulation", "MM", "0", "100", 0, "maximum relative modulation in %"),
            number("ctrlsetpt", "CS", "0", "90", 2, "control setpoint (flow temperature) in °C, 0 gives control back"),
            words("chenable", "CH", "0 off, 1 on, while ctrlsetpt is in force", "0", "1"),
            words("gatewaymode", "GW", "1 gateway, 0 monitor, R reset the gateway", "0", "1", "R"));

    /** The raw command's name: {@code PREFIX/set/command} takes {@code XX=value} as the gateway reads it. */
    public static final String RAW = "command";

    /**
     * A probe answered by Vane itself, never sent to the gateway: it echoes a short token on
     * {@code PREFIX/result/ping}. Since the broker's ACL decides at publish time, an answer proves the
     * sender may write {@code PREFIX/set/#}; the boiler page asks before it shows its control.
     */
    public static final String PING = "ping";

    private Commands() {
    }

    /** The command called {@code name}, or null. */
    public static Command named(String name) {
        for (Command c : ALL) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    /**
     * The line to send for a publish on {@code PREFIX/set/NAME}; throws IllegalArgumentException with the
     * reason when the name is unknown or the value is out of range.
     */
    public static String line(String name, String value) {
        if (RAW.equals(name)) {
            String v = value.strip();
            // Two capitals, '=', then printable ASCII: nothing that could end the line early or add another.
            if (!v.matches("[A-Z]{2}=[\\x21-\\x7E]{1,16}")) {
                throw new IllegalArgumentException("command takes one gateway command like PR=A or TT=20.5, not '"
                        + clip(v) + "'");
            }
            return v;
        }
        Command c = named(name);
        if (c == null) {
            throw new IllegalArgumentException("no command '" + clip(name) + "'; use one of setpoint, constant,"
                    + " outside, hotwater, maxchsetpt, maxdhwsetpt, maxmodulation, ctrlsetpt, chenable, gatewaymode,"
                    + " command, ping");
        }
        return c.line(value);
    }

    /** The token a {@link #PING} echoes, or throws IllegalArgumentException. */
    public static String pingToken(String value) {
        String v = value.strip();
        if (!v.matches("[A-Za-z0-9-]{1,32}")) {
            throw new IllegalArgumentException("ping takes a token of up to 32 letters, digits and -, not '" + clip(v)
                    + "'");
        }
        return v;
    }

    private static String clip(String s) {
        String printable = s.replaceAll("[^\\x20-\\x7E]", "?");
        return printable.length() > 24 ? printable.substring(0, 24) + "..." : printable;
    }
}
