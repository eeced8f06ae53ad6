package io.vane.devices.opentherm;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line from an OpenTherm Gateway, as a value: a frame it saw or sent ({@code T}, {@code B},
 * {@code R}, {@code A} and 8 hex digits), an error frame ({@code E...}), a frame failing its parity, a
 * command's echo ({@code TT: 20.50}), a refusal ({@code NG}, {@code SE}, {@code BV}, {@code OR},
 * {@code NS}, {@code NF}, {@code OE}, alone or after the command code), a line error ({@code Error 01}
 * to {@code 04}), or anything else (start-up banners, "Thermostat disconnected"), which is counted and ignored.
 */
public sealed interface GatewayLine {

    /** A frame: {@code T} thermostat to gateway, {@code B} boiler to gateway, {@code R} gateway to boiler
     * in the thermostat's place, {@code A} gateway to thermostat in the boiler's place. */
    record Frame(char from, OtFrame frame) implements GatewayLine {
    }

    /** A frame whose 32 bits hold an odd number of ones: counted and dropped. */
    record ParityError(char from, String hex) implements GatewayLine {
    }

    /** An {@code E} line: the gateway received a frame it could not read. */
    record ErrorFrame(String hex) implements GatewayLine {
    }

    /** A command accepted: the gateway echoes its code and the value it took. */
    record Answer(String code, String value) implements GatewayLine {
    }

    /** A command refused; {@code code} is null when the gateway did not repeat it. */
    record Refusal(String code, String error) implements GatewayLine {
        public String reason() {
            return REFUSALS.get(error);
        }
    }

    /** {@code Error 01} to {@code Error 04}: a bit timing, stop bit, or response time problem on the line. */
    record LineError(int number) implements GatewayLine {
        public String reason() {
            return switch (number) {
                case 1 -> "bit timing error (the thermostat or boiler line is noisy)";
                case 2 -> "stop bit error";
                case 3 -> "parity error in a received frame";
                case 4 -> "the boiler did not answer in time";
                default -> "unknown error";
            };
        }
    }

    /** Any other line. */
    record Other(String text) implements GatewayLine {
    }

    /** The refusal codes of the gateway's command interface and what they mean. */
    Map<String, String> REFUSALS = Map.of("NG", "no good: unknown command", "SE", "syntax error",
            "BV", "bad value", "OR", "out of range", "NS", "no space", "NF", "not found", "OE", "overrun error");

    Pattern ANSWER = Pattern.compile("([A-Z]{2}): ?(.*)");
    Pattern LINE_ERROR = Pattern.compile("Error 0?([0-9]{1,2})");

    /** Reads one line (without its line end). */
    static GatewayLine parse(String line) {
        String s = line.strip();
        if (s.length() == 9 && "TBRA".indexOf(s.charAt(0)) >= 0) {
            OtFrame f = OtFrame.parse(s.substring(1));
            if (f != null) {
                return f.parityOk() ? new Frame(s.charAt(0), f) : new ParityError(s.charAt(0), s.substring(1));
            }
        }
        if (s.length() == 9 && s.charAt(0) == 'E' && OtFrame.parse(s.substring(1)) != null) {
            return new ErrorFrame(s.substring(1));
        }
        if (REFUSALS.containsKey(s)) {
            return new Refusal(null, s);
        }
        Matcher m = ANSWER.matcher(s);
        if (m.matches()) {
            String value = m.group(2).strip();
            return REFUSALS.containsKey(value) ? new Refusal(m.group(1), value) : new Answer(m.group(1), value);
        }
        m = LINE_ERROR.matcher(s);
        if (m.matches()) {
            return new LineError(Integer.parseInt(m.group(1)));
        }
        return new Other(s);
    }
}
