package io.vane.devices.p1;

/**
 * An OBIS reduced ID as P1 telegrams write it, {@code A-B:C.D.E}: B is the channel (0 for the
 * electricity meter, 1 to 4 for M-Bus devices such as gas, water and heat meters). Some meters add
 * the F group, {@code *255} or {@code .255}; it carries nothing in a P1 telegram and is dropped, so
 * {@code 1-0:1.8.0*255} and {@code 1-0:1.8.0} are the same code.
 */
public record ObisCode(int a, int b, int c, int d, int e) {

    /** Parses {@code text}, or returns null when it is not an OBIS code. */
    public static ObisCode parse(String text) {
        int[] groups = new int[6];
        int count = 0;
        int value = -1;
        char[] separators = {'-', ':', '.', '.', '*'};
        for (int i = 0; i <= text.length(); i++) {
            char ch = i < text.length() ? text.charAt(i) : 0;
            if (ch >= '0' && ch <= '9') {
                value = (value < 0 ? 0 : value * 10) + (ch - '0');
                if (value > 255) {
                    return null;
                }
                continue;
            }
            if (value < 0 || count == 6) {
                return null;
            }
            groups[count++] = value;
            value = -1;
            if (ch == 0) {
                break;
            }
            // The F group may be written *F or .F after E.
            boolean ok = count < 5 ? ch == separators[count - 1] : count == 5 && (ch == '*' || ch == '.');
            if (!ok) {
                return null;
            }
        }
        if (count < 5) {
            return null;
        }
        return new ObisCode(groups[0], groups[1], groups[2], groups[3], groups[4]);
    }

    /** The same code on channel 0, for looking up M-Bus codes in a table keyed by their channel-0 form. */
    public ObisCode onChannel(int channel) {
        return new ObisCode(a, channel, c, d, e);
    }

    /** A name usable as a topic level and JSON key for a code with no field of its own: {@code obis_1_0_96_5_5}. */
    public String genericName() {
        return "obis_" + a + "_" + b + "_" + c + "_" + d + "_" + e;
    }

    @Override
    public String toString() {
        return a + "-" + b + ":" + c + "." + d + "." + e;
    }
}
