package io.vane.devices.p1;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.devices.source.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Today's energy and gas from counter differences: across midnight, and across a restart that reads the start back. */
class DayTotalsTest {
    private static final ZoneId NL = ZoneId.of("Europe/Amsterdam");

    private static MeterReading at(String stamp, String kwh1, String kwh2, String gas) {
        return MeterReading.of(Fixtures.accept(Fixtures.sealed("/ISK5\\2M550T-1012\r\n\r\n1-3:0.2.8(50)\r\n"
                + "0-0:1.0.0(" + stamp + ")\r\n1-0:1.8.1(" + kwh1 + "*kWh)\r\n1-0:1.8.2(" + kwh2 + "*kWh)\r\n"
                + "1-0:2.8.1(000010.000*kWh)\r\n1-0:2.8.2(000020.000*kWh)\r\n0-1:24.1.0(003)\r\n"
                + "0-1:24.2.1(" + stamp + ")(" + gas + "*m3)\r\n!")));
    }

    private static Map<String, Object> update(DayTotals d, MeterReading r) {
        return d.update(r, Instant.EPOCH, new boolean[1]);
    }

    @Test
    void midnightStartsANewDay() {
        DayTotals d = new DayTotals(NL);
        update(d, at("240701230000S", "000100.000", "000200.000", "01000.000"));
        assertThat(update(d, at("240701235959S", "000101.500", "000200.000", "01000.250")))
                .containsEntry("date", "2024-07-01").containsEntry("electricity_merged", new java.math.BigDecimal("1.500"))
                .containsEntry("gas", new java.math.BigDecimal("0.250"));
        // 00:00:01 local time on 2 July: counting starts again from this telegram.
        Map<String, Object> next = update(d, at("240702000001S", "000101.600", "000200.000", "01000.260"));
        assertThat(next).containsEntry("date", "2024-07-02");
        assertThat(next.get("electricity_merged").toString()).isEqualTo("0.000");
        Map<String, Object> later = update(d, at("240702080000S", "000102.000", "000200.500", "01001.260"));
        assertThat(later.get("electricity_merged").toString()).isEqualTo("0.900");
        assertThat(later.get("gas").toString()).isEqualTo("1.000");
    }

    @Test
    void aRestartReadsTheDaysStartBack() {
        DayTotals before = new DayTotals(NL);
        boolean[] newStart = new boolean[1];
        before.update(at("240701070000S", "000100.000", "000200.000", "01000.000"), Instant.EPOCH, newStart);
        assertThat(newStart[0]).isTrue();
        String retained = Json.write(before.start());

        DayTotals after = new DayTotals(NL);
        // The first telegram after the restart may come before the retained start is read back.
        update(after, at("240701120000S", "000103.000", "000200.000", "01002.000"));
        after.restore(Json.flatObject(new String(retained.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)));
        Map<String, Object> t = update(after, at("240701120001S", "000103.000", "000200.000", "01002.000"));
        assertThat(t.get("electricity_merged").toString()).isEqualTo("3.000");
        assertThat(t.get("gas").toString()).isEqualTo("2.000");
        // Yesterday's start is not taken for today.
        DayTotals fresh = new DayTotals(NL);
        update(fresh, at("240702120000S", "000110.000", "000200.000", "01010.000"));
        fresh.restore(Json.flatObject(retained));
        assertThat(update(fresh, at("240702120001S", "000110.000", "000200.000", "01010.000"))
                .get("electricity_merged").toString()).isEqualTo("0.000");
    }
}
