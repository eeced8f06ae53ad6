package io.vane.devices.opentherm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gateway's other lines: echoes, every refusal, Error 01-04, E frames, banners; and bounded line cutting. */
class GatewayLineTest {

    @Test
    void echoesRefusalsAndErrors() {
        assertThat(GatewayLine.parse("TT: 20.50")).isEqualTo(new GatewayLine.Answer("TT", "20.50"));
        assertThat(GatewayLine.parse("PR: A=OpenTherm Gateway 6.5")).isEqualTo(
                new GatewayLine.Answer("PR", "A=OpenTherm Gateway 6.5"));
        for (String code : List.of("NG", "SE", "BV", "OR", "NS", "NF", "OE")) {
            GatewayLine.Refusal r = (GatewayLine.Refusal) GatewayLine.parse(code);
            assertThat(r.code()).isNull();
            assertThat(r.reason()).isNotBlank();
            assertThat(GatewayLine.parse("TT: " + code)).isEqualTo(new GatewayLine.Refusal("TT", code));
        }
        for (int n = 1; n <= 4; n++) {
            GatewayLine.LineError e = (GatewayLine.LineError) GatewayLine.parse("Error 0" + n);
            assertThat(e.number()).isEqualTo(n);
            assertThat(e.reason()).doesNotContain("unknown");
        }
        assertThat(GatewayLine.parse("E40193740")).isEqualTo(new GatewayLine.ErrorFrame("40193740"));
        assertThat(GatewayLine.parse("OpenTherm Gateway 6.5")).isInstanceOf(GatewayLine.Other.class);
        assertThat(GatewayLine.parse("T8000020")).as("7 digits").isInstanceOf(GatewayLine.Other.class);
        assertThat(GatewayLine.parse("X80000200")).isInstanceOf(GatewayLine.Other.class);
        assertThat(GatewayLine.parse("T8000020G")).isInstanceOf(GatewayLine.Other.class);
    }

    private static void feed(TextLines cutter, String text) {
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        cutter.feed(b, 0, b.length);
    }

    @Test
    void linesAreCutAtCrOrLfAndOverLongOnesDroppedWithoutGrowing() {
        List<String> lines = new ArrayList<>();
        TextLines cutter = new TextLines(lines::add);
        byte[] noise = new byte[100_000];
        java.util.Arrays.fill(noise, (byte) 'x');
        feed(cutter, "T80000200\r\nB4000");
        feed(cutter, "020A\n\n\r\n");
        cutter.feed(noise, 0, noise.length);
        assertThat(cutter.buffered()).isLessThanOrEqualTo(TextLines.MAX_LINE);
        feed(cutter, "\r\nTT: 20.50\r\n");
        assertThat(lines).containsExactly("T80000200", "B4000020A", "TT: 20.50");
        assertThat(cutter.overlong()).isEqualTo(1);
        feed(cutter, "B4000");
        cutter.reset(); // the line was reopened: half a line is not the start of the next one
        feed(cutter, "T80000200\n");
        assertThat(lines).endsWith("T80000200");
    }
}
