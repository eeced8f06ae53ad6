package io.vane.devices.opentherm;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The seed's table entries and known gateway lines with their values, through the real line parser
 * and decoder: status flags, the thermostat's control setpoint, flow and outside temperatures, a
 * parity error, and one ID of every format.
 */
class KnownFramesTest {

    /** What the lines decode to, by topic (the thermostat's differing view as thermostat/TOPIC). */
    private static Map<String, Object> decode(String... lines) {
        Map<String, Object> values = new LinkedHashMap<>();
        FrameDecoder decoder = new FrameDecoder((row, value, thermostat) ->
                values.put(thermostat ? "thermostat/" + row.topic() : row.topic(), value));
        for (String l : lines) {
            GatewayLine parsed = GatewayLine.parse(l);
            assertThat(parsed).as(l).isInstanceOf(GatewayLine.Frame.class);
            GatewayLine.Frame f = (GatewayLine.Frame) parsed;
            decoder.frame(f.from(), f.frame());
        }
        return values;
    }

    @Test
    void theSeedsTableEntries() {
        String[] flags = {"ch_enable", "dhw_enable", "cooling_enable", "otc_active", "ch2_enable"};
        for (int bit = 0; bit < flags.length; bit++) {
            DataIds.Row row = DataIds.byTopic(flags[bit]);
            assertThat(row).isEqualTo(new DataIds.Row(0, DataIds.Rw.READ, DataIds.Which.HIGH, Format.FLAG8, bit,
                    flags[bit], null));
        }
        assertThat(DataIds.byTopic("slaveproducttype")).isEqualTo(new DataIds.Row(0x7f, DataIds.Rw.READ,
                DataIds.Which.HIGH, Format.U8, 0, "slaveproducttype", null));
        assertThat(DataIds.byTopic("slaveproductversion")).isEqualTo(new DataIds.Row(0x7f, DataIds.Rw.READ,
                DataIds.Which.LOW, Format.U8, 0, "slaveproductversion", null));
        assertThat(decode("T807F0000", "BC07F1C05")).containsEntry("slaveproducttype", 0x1C)
                .containsEntry("slaveproductversion", 5);
    }

    @Test
    void everyIdOfTheTableIsKnownAndEveryTopicUnique() {
        List<DataIds.Row> rows = DataIds.all();
        assertThat(rows.stream().map(DataIds.Row::topic).distinct().count()).isEqualTo(rows.size());
        for (int id : new int[] {0, 1, 3, 5, 9, 14, 15, 16, 17, 18, 19, 20, 24, 25, 26, 27, 28, 33, 48, 49, 56, 57,
                70, 71, 77, 79, 100, 115, 116, 120, 123, 124, 125, 126, 127}) {
            assertThat(DataIds.of(id)).as("ID " + id).isNotEmpty();
        }
        assertThat(rows).allMatch(r -> r.id() >= 0 && r.id() <= 127);
        assertThat(rows.stream().map(DataIds.Row::format).distinct()).containsExactlyInAnyOrder(Format.values());
    }

    @Test
    void statusRequestAndAnswers() {
        // T80000200: READ-DATA ID 0, master flags 0x02 (DHW enabled, CH not).
        Map<String, Object> t = decode("T80000200");
        assertThat(t).containsEntry("ch_enable", false).containsEntry("dhw_enable", true)
                .containsEntry("cooling_enable", false).containsEntry("otc_active", false).containsEntry("ch2_enable", false);
        assertThat(t).doesNotContainKey("flame");
        // B40000200: READ-ACK, slave flags 0x00: nothing burning.
        assertThat(decode("B40000200")).containsEntry("flame", false).containsEntry("ch_active", false)
                .containsEntry("fault", false).doesNotContainKey("ch_enable");
        // B4000020A: slave flags 0x0A = CH active (bit 1) and flame (bit 3).
        assertThat(decode("B4000020A")).containsEntry("ch_active", true).containsEntry("flame", true)
                .containsEntry("dhw_active", false).containsEntry("fault", false);
    }

    @Test
    void temperatures() {
        // T10011B00 / BD0011B00: WRITE-DATA and WRITE-ACK of ID 1, control setpoint 27.00 °C.
        assertThat(decode("T10011B00", "BD0011B00")).containsExactly(Map.entry("control_setpoint", new BigDecimal("27.00")));
        // B40193740: READ-ACK ID 25, flow temperature 0x3740 / 256 = 55.25 °C.
        assertThat(decode("B40193740")).containsExactly(Map.entry("flow_temperature", new BigDecimal("55.25")));
        // B401BFC80: READ-ACK ID 27, outside temperature 0xFC80 as signed / 256 = -3.50 °C.
        assertThat(decode("B401BFC80")).containsExactly(Map.entry("outside_temperature", new BigDecimal("-3.50")));
    }

    @Test
    void aParityErrorIsALineOfItsOwnAndNotAFrame() {
        // T80000200 with one bit flipped: an odd number of ones.
        assertThat(GatewayLine.parse("T80000201")).isEqualTo(new GatewayLine.ParityError('T', "80000201"));
        assertThat(GatewayLine.parse("B40193741")).isInstanceOf(GatewayLine.ParityError.class);
        assertThat(new OtFrame(0x80000200).parityOk()).isTrue();
        assertThat(OtFrame.of(MessageType.READ_ACK, 25, 0x3740).hex()).isEqualTo("40193740");
    }

    @Test
    void everyFormat() {
        assertThat(Format.FLAG8.decode(0x0A, 0, DataIds.Which.HIGH, 3)).isEqualTo(true);
        assertThat(Format.U8.decode(0xFF, 0x05, DataIds.Which.LOW, 0)).isEqualTo(5);
        assertThat(Format.S8.decode(0xF6, 0, DataIds.Which.HIGH, 0)).isEqualTo(-10);
        assertThat(Format.F8_8.decode(0x1B, 0x80, DataIds.Which.WORD, 0)).isEqualTo(new BigDecimal("27.50"));
        assertThat(Format.U16.decode(0xFF, 0xFE, DataIds.Which.WORD, 0)).isEqualTo(65534);
        assertThat(Format.S16.decode(0xFF, 0xFB, DataIds.Which.WORD, 0)).isEqualTo(-5);
        assertThat(Format.DOWTOD.decode(2 << 5 | 14, 5, DataIds.Which.WORD, 0)).isEqualTo("Tuesday 14:05");
        // And through frames of the IDs that use them.
        assertThat(decode(line('B', MessageType.READ_ACK, 48, 0x3C0A))).containsEntry("dhw_setpoint_max", 60)
                .containsEntry("dhw_setpoint_min", 10); // s8
        assertThat(decode(line('B', MessageType.READ_ACK, 33, 0xFFFB))).containsEntry("exhaust_temperature", -5); // s16
        assertThat(decode(line('B', MessageType.READ_ACK, 116, 4711))).containsEntry("burner_starts", 4711); // u16
        assertThat(decode(line('T', MessageType.WRITE_DATA, 20, (3 << 5 | 7) << 8 | 30)))
                .containsEntry("day_time", "Wednesday 07:30"); // dowtod
        assertThat(decode(line('B', MessageType.READ_ACK, 18, 0x0199))).containsEntry("ch_water_pressure",
                new BigDecimal("1.60")); // f8.8
        assertThat(decode(line('B', MessageType.READ_ACK, 15, 0x180C))).containsEntry("max_boiler_capacity", 24)
                .containsEntry("min_modulation", 12); // u8, both bytes
    }

    @Test
    void thermostatAndBoilerViewsKeptApartWhenTheGatewayStepsIn() {
        int own = 0x2800; // the thermostat's 40.00
        int override = 0x3C00; // the gateway's 60.00
        Map<String, Object> v = decode(line('T', MessageType.WRITE_DATA, 1, own), line('R', MessageType.WRITE_DATA, 1,
                override), line('B', MessageType.WRITE_ACK, 1, override), line('A', MessageType.WRITE_ACK, 1, own),
                // The next round: the thermostat's value goes to its own view, the boiler keeps the override.
                line('T', MessageType.WRITE_DATA, 1, own), line('R', MessageType.WRITE_DATA, 1, override));
        assertThat(v).containsEntry("control_setpoint", new BigDecimal("60.00"))
                .containsEntry("thermostat/control_setpoint", new BigDecimal("40.00"));
        // The override ends: the thermostat's value reaches the boiler again and is the one truth.
        Map<String, Object> after = new LinkedHashMap<>();
        FrameDecoder d = new FrameDecoder((row, value, thermostat) -> after.put((thermostat ? "thermostat/" : "")
                + row.topic(), value));
        feed(d, line('T', MessageType.WRITE_DATA, 1, own), line('R', MessageType.WRITE_DATA, 1, override),
                line('B', MessageType.WRITE_ACK, 1, override), line('T', MessageType.WRITE_DATA, 1, own),
                line('B', MessageType.WRITE_ACK, 1, own));
        after.clear();
        feed(d, line('T', MessageType.WRITE_DATA, 1, own));
        assertThat(after).containsExactly(Map.entry("control_setpoint", new BigDecimal("40.00")));
        // An answer the gateway gives in the boiler's place for an ID the boiler does not know is the truth.
        assertThat(decode("T00090000", line('B', MessageType.UNKNOWN_DATA_ID, 9, 0), line('A', MessageType.READ_ACK,
                9, 0x1500))).containsEntry("remote_override_setpoint", new BigDecimal("21.00"));
    }

    private static void feed(FrameDecoder d, String... lines) {
        for (String l : lines) {
            GatewayLine.Frame f = (GatewayLine.Frame) GatewayLine.parse(l);
            d.frame(f.from(), f.frame());
        }
    }

    private static String line(char from, MessageType type, int id, int value) {
        return from + OtFrame.of(type, id, value).hex();
    }
}
