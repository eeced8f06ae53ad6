package io.vane.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The history's number format: the digits of %.6g, trailing zeros left out, always valid JSON. */
class JsonNumbersTest {
    static String fast(double v) {
        StringBuilder sb = new StringBuilder();
        JsonNumbers.append(sb, v);
        return sb.toString();
    }

    /**
     * What the encoder wrote before (String.format and a regular expression), with its one bug mended:
     * the expression also took the zeros of a whole number, so 123400 became 1234.
     */
    static String reference(double v) {
        String g = String.format(Locale.ROOT, "%.6g", v);
        int e = g.indexOf('e');
        String mantissa = e < 0 ? g : g.substring(0, e);
        if (mantissa.contains(".")) {
            mantissa = mantissa.replaceFirst("\\.?0+$", "");
        }
        return mantissa + (e < 0 ? "" : g.substring(e));
    }

    @Test
    void examples() {
        assertThat(fast(68.5)).isEqualTo("68.5");
        assertThat(fast(69.0)).isEqualTo("69");
        assertThat(fast(29.92)).isEqualTo("29.92");
        assertThat(fast(123400)).isEqualTo("123400");
        assertThat(fast(100000)).isEqualTo("100000");
        assertThat(fast(1234567)).isEqualTo("1.23457e+06");
        assertThat(fast(999999.5)).isEqualTo("1e+06");
        assertThat(fast(0.000123)).isEqualTo("0.000123");
        assertThat(fast(0.0000153)).isEqualTo("1.53e-05");
        assertThat(fast(-7.25)).isEqualTo("-7.25");
        assertThat(fast(0)).isEqualTo("0");
        assertThat(fast(1e300)).isEqualTo("1e+300");
        assertThat(fast(Double.NaN)).isEqualTo("null");
        assertThat(fast(Double.POSITIVE_INFINITY)).as("1e999 parses to infinity").isEqualTo("null");
    }

    @Test
    void sameDigitsAsFormatOverManyMagnitudes() {
        Random r = new Random(6);
        for (int i = 0; i < 200_000; i++) {
            double v;
            switch (i % 4) {
                case 0 -> v = r.nextDouble() * Math.pow(10, r.nextInt(24) - 12);
                case 1 -> v = Math.round(r.nextDouble() * 1e6) / Math.pow(10, r.nextInt(8));
                case 2 -> v = -r.nextInt(2_000_000) / 100.0;
                default -> v = Double.longBitsToDouble(r.nextLong());
            }
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                continue;
            }
            assertThat(fast(v)).as("%s", v).isEqualTo(reference(v));
        }
    }
}
