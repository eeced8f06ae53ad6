package io.vane.devices.p1;

import static io.vane.devices.p1.Fixtures.describe;
import static io.vane.devices.p1.Fixtures.reading;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Every field of every recorded dialect (src/test/resources/p1/README.md says where each telegram was
 * published), with its value and unit. The expected values were worked out by hand from the telegram and
 * agree with what ndokter/dsmr_parser's own tests assert for the same telegrams (e.g. 234.7 V, 112.384 m³
 * and the 13-month peaks of the e-MUCS example).
 */
class RecordedTelegramsTest {

    @Test
    void dsmr22TwoLineGasWithoutCrc() {
        MeterReading r = reading("dsmr22-iskra-mt382.txt");
        assertThat(r.header()).isEqualTo("ISk5\\2MT382-1004");
        assertThat(describe(r)).containsExactly(
                "equipment_id=00000000000000",
                "electricity_delivered_1=1.001 kWh", "electricity_delivered_2=1.001 kWh",
                "electricity_returned_1=1.001 kWh", "electricity_returned_2=1.001 kWh",
                "electricity_tariff=1", "electricity_tariff_name=low",
                "electricity_currently_delivered=1.01 kW", "electricity_currently_returned=0.00 kW",
                "electricity_threshold=999.00 kW", "switch_position=1", "message_code=", "message_text=",
                "mbus1_device_type=3", "mbus1_equipment_id=000000000000",
                // 161107190000 has no S/W flag: 19:00 in November is CET, 18:00 UTC.
                "mbus1_delivered=1.001 m³", "mbus1_timestamp=2016-11-07T18:00:00Z",
                "extra_device_delivered=1.001 m³", "extra_device_timestamp=2016-11-07T18:00:00Z",
                "mbus1_valve_position=1");
        assertThat(r.timestamp()).isNull();
    }

    @Test
    void dsmr30HexTextAndTwoLineGas() {
        assertThat(describe(reading("dsmr30-iskra-mt382.txt"))).containsExactly(
                "equipment_id=4B384547303034303436333935353037",
                "electricity_delivered_1=12345.678 kWh", "electricity_delivered_2=12345.678 kWh",
                "electricity_returned_1=12345.678 kWh", "electricity_returned_2=12345.678 kWh",
                "electricity_tariff=2", "electricity_tariff_name=normal",
                "electricity_currently_delivered=1.19 kW", "electricity_currently_returned=0.00 kW",
                "electricity_threshold=16 A", "switch_position=1",
                "message_code=012345678",
                "message_text=" + "0123456789:;<=>?".repeat(5),
                "mbus1_device_type=3", "mbus1_equipment_id=3232323241424344313233343536373839",
                "mbus1_delivered=1.001 m³", "mbus1_timestamp=2009-02-12T15:00:00Z",
                "extra_device_delivered=1.001 m³", "extra_device_timestamp=2009-02-12T15:00:00Z",
                "mbus1_valve_position=1");
    }

    @Test
    void dsmr40PowerFailureLog() {
        assertThat(describe(reading("dsmr40-kaifa.txt"))).containsExactly(
                "dsmr_version=40", "timestamp=2015-01-17T17:59:16Z", "timestamp_dst=W",
                "equipment_id=0000000000000000000000000000000000",
                "electricity_delivered_1=671.578 kWh", "electricity_delivered_2=842.472 kWh",
                "electricity_returned_1=0.000 kWh", "electricity_returned_2=0.000 kWh",
                "electricity_tariff=1", "electricity_tariff_name=low",
                "electricity_currently_delivered=0.333 kW", "electricity_currently_returned=0.000 kW",
                "electricity_threshold=999.9 kW", "switch_position=1",
                "power_failure_count=8", "long_power_failure_count=7",
                // 000101000001W: the meter's "no date" entry, 2000-01-01 00:00:01 CET.
                "power_failure_log=[{\"end\":\"1999-12-31T23:00:01Z\",\"duration_s\":2147483647}]",
                "voltage_sag_count_l1=0", "voltage_swell_count_l1=0", "message_code=", "message_text=",
                "phase_power_current_l1=1 A",
                "phase_currently_delivered_l1=0.332 kW", "phase_currently_returned_l1=0.000 kW",
                "mbus1_device_type=3", "mbus1_equipment_id=0000000000000000000000000000000000",
                "mbus1_delivered=473.789 m³", "mbus1_timestamp=2015-01-17T17:00:00Z",
                "extra_device_delivered=473.789 m³", "extra_device_timestamp=2015-01-17T17:00:00Z",
                "mbus1_valve_position=1");
    }

    @Test
    void dsmr42ThreeFailuresAndThreePhases() {
        assertThat(describe(reading("dsmr42-kaifa.txt"))).containsExactly(
                "dsmr_version=42", "timestamp=2016-11-13T19:57:57Z", "timestamp_dst=W",
                "equipment_id=3960221976967177082151037881335713",
                "electricity_delivered_1=1581.123 kWh", "electricity_delivered_2=1435.706 kWh",
                "electricity_returned_1=0.000 kWh", "electricity_returned_2=0.000 kWh",
                "electricity_tariff=2", "electricity_tariff_name=normal",
                "electricity_currently_delivered=2.027 kW", "electricity_currently_returned=0.000 kW",
                "power_failure_count=15", "long_power_failure_count=7",
                "power_failure_log=[{\"end\":\"2000-01-04T17:03:20Z\",\"duration_s\":237126},"
                        + "{\"end\":\"1999-12-31T23:00:01Z\",\"duration_s\":2147583646},"
                        + "{\"end\":\"2000-01-01T23:00:03Z\",\"duration_s\":2317482647}]",
                "voltage_sag_count_l1=0", "voltage_sag_count_l2=0", "voltage_sag_count_l3=0",
                "voltage_swell_count_l1=0", "voltage_swell_count_l2=0", "voltage_swell_count_l3=0",
                "message_code=", "message_text=",
                "phase_power_current_l1=0 A", "phase_power_current_l2=6 A", "phase_power_current_l3=2 A",
                "phase_currently_delivered_l1=0.170 kW", "phase_currently_returned_l1=0.000 kW",
                "phase_currently_delivered_l2=1.247 kW", "phase_currently_returned_l2=0.000 kW",
                "phase_currently_delivered_l3=0.209 kW", "phase_currently_returned_l3=0.000 kW",
                "mbus1_device_type=3", "mbus1_equipment_id=4819243993373755377509728609491464",
                "mbus1_delivered=981.443 m³", "mbus1_timestamp=2016-11-29T19:00:00Z",
                "extra_device_delivered=981.443 m³", "extra_device_timestamp=2016-11-29T19:00:00Z");
    }

    @Test
    void dsmr50VoltagesAndTwoChannels() {
        MeterReading r = reading("dsmr50-iskra-mt382.txt");
        assertThat(describe(r)).containsExactly(
                "dsmr_version=50", "timestamp=2017-01-02T18:20:02Z", "timestamp_dst=W",
                "equipment_id=4B384547303034303436333935353037",
                "electricity_delivered_1=4.426 kWh", "electricity_delivered_2=2.399 kWh",
                "electricity_returned_1=2.444 kWh", "electricity_returned_2=0.000 kWh",
                "electricity_tariff=2", "electricity_tariff_name=normal",
                "electricity_currently_delivered=0.244 kW", "electricity_currently_returned=0.000 kW",
                "power_failure_count=13", "long_power_failure_count=0", "power_failure_log=[]",
                "voltage_sag_count_l1=0", "voltage_sag_count_l2=0", "voltage_sag_count_l3=0",
                "voltage_swell_count_l1=0", "voltage_swell_count_l2=0", "voltage_swell_count_l3=0",
                "message_text=",
                "phase_voltage_l1=230.0 V", "phase_voltage_l2=230.0 V", "phase_voltage_l3=229.0 V",
                "phase_power_current_l1=0.48 A", "phase_power_current_l2=0.44 A", "phase_power_current_l3=0.86 A",
                "phase_currently_delivered_l1=0.070 kW", "phase_currently_delivered_l2=0.032 kW",
                "phase_currently_delivered_l3=0.142 kW", "phase_currently_returned_l1=0.000 kW",
                "phase_currently_returned_l2=0.000 kW", "phase_currently_returned_l3=0.000 kW",
                "mbus1_device_type=3", "mbus1_equipment_id=3232323241424344313233343536373839",
                "mbus1_delivered=0.107 m³", "mbus1_timestamp=2017-01-02T15:10:05Z",
                "extra_device_delivered=0.107 m³", "extra_device_timestamp=2017-01-02T15:10:05Z",
                "mbus2_device_type=3", "mbus2_equipment_id=");
        assertThat(r.belgian()).isFalse();
    }

    @Test
    void emucsFluviusPeaksHistoryGasAndWater() {
        MeterReading r = reading("emucs171-fluvius.txt");
        assertThat(r.belgian()).isTrue();
        assertThat(describe(r)).containsExactly(
                "emucs_version=50217", "equipment_id=3153414733313031303231363035",
                "timestamp=2020-05-12T11:54:09Z", "timestamp_dst=S",
                "electricity_delivered_1=0.034 kWh", "electricity_delivered_2=15.758 kWh",
                "electricity_returned_1=0.000 kWh", "electricity_returned_2=0.011 kWh",
                "electricity_average_demand=2.351 kW",
                "electricity_max_demand_month=2.589 kW",
                "electricity_max_demand_month_timestamp=2020-05-09T11:45:58Z",
                "electricity_max_demand_history=["
                        + "{\"month\":\"2020-04-30T22:00:00Z\",\"at\":\"2020-04-23T17:25:38Z\",\"kw\":3.695},"
                        + "{\"month\":\"2020-03-31T22:00:00Z\",\"at\":\"2020-03-05T10:21:39Z\",\"kw\":5.980},"
                        + "{\"month\":\"2020-02-29T22:00:00Z\",\"at\":\"2020-02-10T02:54:21Z\",\"kw\":4.318}]",
                // Belgium: tariff 1 is the day (normal) rate, 2 the night rate; the opposite of the Netherlands.
                "electricity_tariff=1", "electricity_tariff_name=normal",
                "electricity_currently_delivered=0.000 kW", "electricity_currently_returned=0.000 kW",
                "phase_currently_delivered_l1=0.000 kW", "phase_currently_delivered_l2=0.000 kW",
                "phase_currently_delivered_l3=0.000 kW", "phase_currently_returned_l1=0.000 kW",
                "phase_currently_returned_l2=0.000 kW", "phase_currently_returned_l3=0.000 kW",
                "phase_voltage_l1=234.7 V", "phase_voltage_l2=234.7 V", "phase_voltage_l3=234.7 V",
                "phase_power_current_l1=0.00 A", "phase_power_current_l2=0.00 A", "phase_power_current_l3=0.00 A",
                "switch_position=1", "electricity_threshold=999.9 kW", "fuse_threshold_l1=999 A", "message_text=",
                "mbus1_device_type=3", "mbus1_equipment_id=37464C4F32313139303333373333",
                // 0-1:24.2.3: the Belgian gas reading, not corrected for temperature.
                "mbus1_delivered=112.384 m³", "mbus1_timestamp=2020-05-12T11:45:58Z",
                "extra_device_delivered=112.384 m³", "extra_device_timestamp=2020-05-12T11:45:58Z",
                "mbus1_valve_position=1",
                "mbus2_device_type=7", "mbus2_equipment_id=3853414731323334353637383930",
                "mbus2_delivered=872.234 m³", "mbus2_timestamp=2020-05-12T11:45:58Z",
                "water_delivered=872.234 m³", "water_timestamp=2020-05-12T11:45:58Z");
    }

    @Test
    void easymeterStar255SuffixesWattsAndUnknownCodes() {
        assertThat(describe(reading("easymeter-q3d-255.txt"))).containsExactly(
                "obis_1_0_0_0_0=0272031312565",
                "electricity_delivered=52185.7825309 kWh", "electricity_returned=19949.3221493 kWh",
                // Written in W: published in kW, exactly.
                "phase_currently_delivered_l1=0.74785 kW", "phase_currently_delivered_l2=0.73728 kW",
                "phase_currently_delivered_l3=0.63973 kW", "electricity_currently_delivered=2.12486 kW",
                "obis_1_0_96_5_5=80", "obis_0_0_96_1_255=1ESY1313002565");
    }
}
