package io.vane.dashboard;

/**
 * Writes a double as a JSON number with at most six significant digits, the digits {@code %.6g} gives
 * (Java's Formatter: the shortest decimal digits of the double, rounded half up), with trailing zeros
 * left out: {@code 68.5}, {@code 69}, {@code 123400}, {@code 0.000123}, {@code 1.5e-05}, {@code 1.23457e+06}.
 * Not a number or infinite gives {@code null}. About twenty times cheaper than {@code String.format}
 * followed by a regular expression, which the history answer did for each of its 120,000 values
 * (see docs/benchmarks.md, HistoryEncodingBench).
 */
public final class JsonNumbers {
    static final int DIGITS = 6;

    private JsonNumbers() {
    }

    /** Appends {@code v} to {@code sb}. */
    public static void append(StringBuilder sb, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            sb.append("null");
            return;
        }
        if (v == 0) {
            sb.append('0');
            return;
        }
        if (v < 0) {
            sb.append('-');
            v = -v;
        }
        // The shortest digits that give back the double, as Double.toString (and %g) find them.
        String s = Double.toString(v);
        char[] d = new char[s.length() + 1];
        int n = 0;
        int point = -1;
        int exp = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                point = n;
            } else if (c == 'E') {
                exp = Integer.parseInt(s, i + 1, s.length(), 10);
                break;
            } else {
                d[n++] = c;
            }
        }
        if (point < 0) {
            point = n;
        }
        // value = 0.d[lead..n) x 10^pos
        int lead = 0;
        while (lead < n - 1 && d[lead] == '0') {
            lead++;
        }
        int pos = point + exp - lead;
        int start = lead;
        int len = n - lead;
        if (len > DIGITS) {
            boolean up = d[start + DIGITS] >= '5';
            len = DIGITS;
            if (up) {
                int i = start + len - 1;
                while (i >= start && d[i] == '9') {
                    d[i] = '0';
                    i--;
                }
                if (i >= start) {
                    d[i]++;
                } else {
                    // 999999.5 -> 1000000: one more digit in front
                    d[start] = '1';
                    for (int k = 1; k < len; k++) {
                        d[start + k] = '0';
                    }
                    pos++;
                }
            }
        }
        while (len > 1 && d[start + len - 1] == '0') {
            len--;
        }
        int sci = pos - 1;
        if (sci >= -4 && sci < DIGITS) {
            if (pos <= 0) {
                sb.append("0.");
                for (int k = 0; k < -pos; k++) {
                    sb.append('0');
                }
                sb.append(d, start, len);
            } else if (pos >= len) {
                sb.append(d, start, len);
                for (int k = len; k < pos; k++) {
                    sb.append('0');
                }
            } else {
                sb.append(d, start, pos).append('.').append(d, start + pos, len - pos);
            }
        } else {
            sb.append(d[start]);
            if (len > 1) {
                sb.append('.').append(d, start + 1, len - 1);
            }
            sb.append('e').append(sci < 0 ? '-' : '+');
            int a = Math.abs(sci);
            if (a < 10) {
                sb.append('0');
            }
            sb.append(a);
        }
    }
}
