package io.vane.devices.p1;

import static io.vane.devices.p1.Fixtures.describe;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** CRC-16/ARC where present, unpadded and lower-case CRCs, telegrams that must carry one, four M-Bus channels. */
class TelegramChecksTest {

    private static Rejection.Reason rejected(byte[] frame) {
        TelegramParser.Outcome o = TelegramParser.parse(frame);
        assertThat(o).isInstanceOf(TelegramParser.Rejected.class);
        return ((TelegramParser.Rejected) o).rejection().reason();
    }

    private static String text(String name) {
        return new String(Fixtures.bytes(name), StandardCharsets.ISO_8859_1);
    }

    @Test
    void crcIsCrc16ArcOfTheStandardCheckString() {
        // The catalogue check value of CRC-16/ARC for "123456789" is 0xBB3D.
        assertThat(Crc16.of("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0xBB3D);
    }

    @Test
    void aChangedCrcIsRejected() {
        String good = text("dsmr50-iskra-mt382.txt");
        assertThat(rejected(good.replace("!6EEE", "!6EEF").getBytes(StandardCharsets.ISO_8859_1)))
                .isEqualTo(Rejection.Reason.BAD_CRC);
        // A changed digit in the body with the old CRC: 4.426 kWh became 4.427 kWh.
        assertThat(rejected(good.replace("000004.426", "000004.427").getBytes(StandardCharsets.ISO_8859_1)))
                .isEqualTo(Rejection.Reason.BAD_CRC);
    }

    @Test
    void unpaddedAndLowerCaseCrcsAreAccepted() {
        // Find a body whose CRC is below 0x1000, as some meters then write 3 digits.
        for (int kwh = 0; kwh < 10_000; kwh++) {
            String body = "/XMX5LGBBFG10\r\n\r\n1-3:0.2.8(50)\r\n1-0:1.8.1(" + String.format("%06d", kwh)
                    + ".000*kWh)\r\n!";
            int crc = Crc16.of(body.getBytes(StandardCharsets.ISO_8859_1));
            if (crc < 0x1000) {
                byte[] unpadded = (body + Integer.toHexString(crc).toUpperCase() + "\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1);
                assertThat(Fixtures.accept(unpadded).crcChecked()).isTrue();
                byte[] lower = (body + String.format("%04x", crc) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
                assertThat(Fixtures.accept(lower).crcChecked()).isTrue();
                return;
            }
        }
        throw new AssertionError("no CRC below 0x1000 in 10,000 bodies");
    }

    @Test
    void dsmr5AndEmucsWithoutCrcAreRejectedButDsmr22IsNot() {
        String v5 = text("dsmr50-iskra-mt382.txt").replace("!6EEE", "!");
        assertThat(rejected(v5.getBytes(StandardCharsets.ISO_8859_1))).isEqualTo(Rejection.Reason.MISSING_CRC);
        String be = text("emucs171-fluvius.txt").replace("!3AD7", "!");
        assertThat(rejected(be.getBytes(StandardCharsets.ISO_8859_1))).isEqualTo(Rejection.Reason.MISSING_CRC);
        assertThat(Fixtures.accept(Fixtures.bytes("dsmr22-iskra-mt382.txt")).crcChecked()).isFalse();
        assertThat(Fixtures.accept(Fixtures.bytes("dsmr50-iskra-mt382.txt")).crcChecked()).isTrue();
    }

    @Test
    void garbledLinesWithoutCrcAreRejected() {
        String v22 = text("dsmr22-iskra-mt382.txt");
        for (String[] damage : new String[][] {
                {"1-0:1.8.1(00001.001*kWh)", "1-0:1.8.1(000p1.001*kWh)"}, // not a number
                {"1-0:1.7.0(0001.01*kW)", "1-0:1.7.0(0001.01*kV)"}, // the wrong unit
                {"0-0:96.14.0(0001)", "0-0:96.14.0(0001"}, // an unclosed value
                {"1-0:1.7.0", "1-0;1.7.0"}, // not an OBIS code
                {"0-1:24.3.0(161107190000)", "0-1:24.3.0(161137190000)"}}) { // no such date
            java.util.List<MeterReading> out = new java.util.ArrayList<>();
            BadTelegrams bad = new BadTelegrams("t", java.time.Clock.systemUTC());
            byte[] b = v22.replace(damage[0], damage[1]).getBytes(StandardCharsets.ISO_8859_1);
            new P1Decoder(bad, out::add).feed(b, 0, b.length);
            assertThat(out).as(damage[1]).isEmpty();
            assertThat(bad.count(Rejection.Reason.GARBLED)).as(damage[1]).isEqualTo(1);
        }
    }

    @Test
    void fourMbusChannelsGasWaterHeat() {
        byte[] t = Fixtures.sealed("/ISK5\\2M550T-1012\r\n\r\n1-3:0.2.8(50)\r\n0-0:1.0.0(240701120000S)\r\n"
                + "1-0:1.8.1(001000.000*kWh)\r\n"
                + "0-1:24.1.0(003)\r\n0-1:96.1.0(4730)\r\n0-1:24.2.1(240701120000S)(01234.567*m3)\r\n"
                + "0-2:24.1.0(007)\r\n0-2:96.1.0(5730)\r\n0-2:24.2.1(240701120000S)(00321.000*m3)\r\n"
                + "0-3:24.1.0(004)\r\n0-3:96.1.0(6730)\r\n0-3:24.2.1(240701120000S)(00012.345*GJ)\r\n"
                + "0-4:24.1.0(012)\r\n0-4:24.2.1(240701110000S)(00001.500*GJ)\r\n!");
        assertThat(describe(MeterReading.of(Fixtures.accept(t)))).containsExactly(
                "dsmr_version=50", "timestamp=2024-07-01T10:00:00Z", "timestamp_dst=S",
                "electricity_delivered_1=1000.000 kWh",
                "mbus1_device_type=3", "mbus1_equipment_id=4730", "mbus1_delivered=1234.567 m³",
                "mbus1_timestamp=2024-07-01T10:00:00Z", "extra_device_delivered=1234.567 m³",
                "extra_device_timestamp=2024-07-01T10:00:00Z",
                "mbus2_device_type=7", "mbus2_equipment_id=5730", "mbus2_delivered=321.000 m³",
                "mbus2_timestamp=2024-07-01T10:00:00Z", "water_delivered=321.000 m³",
                "water_timestamp=2024-07-01T10:00:00Z",
                "mbus3_device_type=4", "mbus3_equipment_id=6730", "mbus3_delivered=12.345 GJ",
                "mbus3_timestamp=2024-07-01T10:00:00Z", "heat_delivered=12.345 GJ",
                "heat_timestamp=2024-07-01T10:00:00Z",
                // The second heat meter keeps its channel's names only.
                "mbus4_device_type=12", "mbus4_delivered=1.500 GJ", "mbus4_timestamp=2024-07-01T09:00:00Z");
    }

    @Test
    void obisCodesWithAndWithoutTheFGroup() {
        assertThat(ObisCode.parse("1-0:1.8.0*255")).isEqualTo(ObisCode.parse("1-0:1.8.0"));
        assertThat(ObisCode.parse("1-0:1.8.0.255")).isEqualTo(ObisCode.parse("1-0:1.8.0"));
        assertThat(ObisCode.parse("1-0:99:97.0")).isNull();
        assertThat(ObisCode.parse("1-0:1.8")).isNull();
        assertThat(ObisCode.parse("1-0:1.8.256")).isNull();
        assertThat(ObisCode.parse("0-2:24.2.1").b()).isEqualTo(2);
    }

    @Test
    void timestampsFollowTheirDaylightFlag() {
        assertThat(DsmrTime.parse("240331030000S").toString()).isEqualTo("2024-03-31T01:00:00Z");
        assertThat(DsmrTime.parse("241027020000W").toString()).isEqualTo("2024-10-27T01:00:00Z");
        assertThat(DsmrTime.parse("241027020000S").toString()).isEqualTo("2024-10-27T00:00:00Z");
        assertThat(DsmrTime.parse("240715120000").toString()).isEqualTo("2024-07-15T10:00:00Z");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DsmrTime.parse("241327020000W"))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DsmrTime.parse("241027020000X"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
