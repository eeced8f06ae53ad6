package io.vane.devices.p1;

import io.vane.devices.p1.MeterField.Group;
import java.util.Map;

/**
 * The OBIS codes of the electricity meter (channel 0) and the field each becomes, named as
 * DSMR-reader names them where it has a name ({@code electricity_currently_delivered}, ...) so that
 * Home Assistant and Node-RED setups made for DSMR-reader keep working. Codes not listed here are
 * kept under {@link ObisCode#genericName()}; M-Bus channels are handled by {@link MbusChannels}.
 */
final class MeterCodes {
    static final ObisCode DSMR_VERSION = ObisCode.parse("1-3:0.2.8");
    static final ObisCode EMUCS_VERSION = ObisCode.parse("0-0:96.1.4");
    static final ObisCode TIMESTAMP = ObisCode.parse("0-0:1.0.0");
    static final ObisCode TARIFF = ObisCode.parse("0-0:96.14.0");
    static final ObisCode FAILURE_LOG = ObisCode.parse("1-0:99.97.0");
    static final ObisCode MAX_DEMAND_MONTH = ObisCode.parse("1-0:1.6.0");
    static final ObisCode MAX_DEMAND_HISTORY = ObisCode.parse("0-0:98.1.0");
    static final ObisCode EQUIPMENT_ID = ObisCode.parse("0-0:96.1.1");

    /** How a field's text is read. */
    enum Kind {
        /** A number with a unit after {@code *}, converted to the unit given (W to kW, Wh to kWh). */
        NUMBER,
        /** A whole number without unit (counters, the tariff, the switch position). */
        COUNT,
        /** Text kept as written (versions, identifiers). */
        TEXT,
        /** Hex-encoded text, decoded (the text messages). */
        HEX_TEXT
    }

    /** One row: the field's name, where it goes, how it is read and the unit it is published in. */
    record Spec(String name, Group group, Kind kind, String unit) {
    }

    static final Map<ObisCode, Spec> TABLE = Map.ofEntries(
            row("1-3:0.2.8", "dsmr_version", Group.METER_STATS, Kind.TEXT, null),
            row("0-0:96.1.4", "emucs_version", Group.METER_STATS, Kind.TEXT, null),
            row("0-0:96.1.1", "equipment_id", Group.METER_STATS, Kind.TEXT, null),
            row("1-0:1.8.1", "electricity_delivered_1", Group.READING, Kind.NUMBER, "kWh"),
            row("1-0:1.8.2", "electricity_delivered_2", Group.READING, Kind.NUMBER, "kWh"),
            row("1-0:2.8.1", "electricity_returned_1", Group.READING, Kind.NUMBER, "kWh"),
            row("1-0:2.8.2", "electricity_returned_2", Group.READING, Kind.NUMBER, "kWh"),
            row("1-0:1.8.0", "electricity_delivered", Group.READING, Kind.NUMBER, "kWh"),
            row("1-0:2.8.0", "electricity_returned", Group.READING, Kind.NUMBER, "kWh"),
            row("0-0:96.14.0", "electricity_tariff", Group.METER_STATS, Kind.COUNT, null),
            row("1-0:1.7.0", "electricity_currently_delivered", Group.READING, Kind.NUMBER, "kW"),
            row("1-0:2.7.0", "electricity_currently_returned", Group.READING, Kind.NUMBER, "kW"),
            row("0-0:17.0.0", "electricity_threshold", Group.METER_STATS, Kind.NUMBER, null),
            row("0-0:96.3.10", "switch_position", Group.METER_STATS, Kind.COUNT, null),
            row("0-0:96.7.21", "power_failure_count", Group.METER_STATS, Kind.COUNT, null),
            row("0-0:96.7.9", "long_power_failure_count", Group.METER_STATS, Kind.COUNT, null),
            row("1-0:32.32.0", "voltage_sag_count_l1", Group.METER_STATS, Kind.COUNT, null),
            row("1-0:52.32.0", "voltage_sag_count_l2", Group.METER_STATS, Kind.COUNT, null),
            row("1-0:72.32.0", "voltage_sag_count_l3", Group.METER_STATS, Kind.COUNT, null),
            row("1-0:32.36.0", "voltage_swell_count_l1", Group.METER_STATS, Kind.COUNT, null),
            row("1-0:52.36.0", "voltage_swell_count_l2", Group.METER_STATS, Kind.COUNT, null),
            row("1-0:72.36.0", "voltage_swell_count_l3", Group.METER_STATS, Kind.COUNT, null),
            row("0-0:96.13.1", "message_code", Group.METER_STATS, Kind.HEX_TEXT, null),
            row("0-0:96.13.0", "message_text", Group.METER_STATS, Kind.HEX_TEXT, null),
            row("1-0:32.7.0", "phase_voltage_l1", Group.READING, Kind.NUMBER, "V"),
            row("1-0:52.7.0", "phase_voltage_l2", Group.READING, Kind.NUMBER, "V"),
            row("1-0:72.7.0", "phase_voltage_l3", Group.READING, Kind.NUMBER, "V"),
            row("1-0:31.7.0", "phase_power_current_l1", Group.READING, Kind.NUMBER, "A"),
            row("1-0:51.7.0", "phase_power_current_l2", Group.READING, Kind.NUMBER, "A"),
            row("1-0:71.7.0", "phase_power_current_l3", Group.READING, Kind.NUMBER, "A"),
            row("1-0:21.7.0", "phase_currently_delivered_l1", Group.READING, Kind.NUMBER, "kW"),
            row("1-0:41.7.0", "phase_currently_delivered_l2", Group.READING, Kind.NUMBER, "kW"),
            row("1-0:61.7.0", "phase_currently_delivered_l3", Group.READING, Kind.NUMBER, "kW"),
            row("1-0:22.7.0", "phase_currently_returned_l1", Group.READING, Kind.NUMBER, "kW"),
            row("1-0:42.7.0", "phase_currently_returned_l2", Group.READING, Kind.NUMBER, "kW"),
            row("1-0:62.7.0", "phase_currently_returned_l3", Group.READING, Kind.NUMBER, "kW"),
            // Belgian e-MUCS: the quarter-hour average demand that the capacity tariff bills, and its fuse limit.
            row("1-0:1.4.0", "electricity_average_demand", Group.READING, Kind.NUMBER, "kW"),
            row("1-0:31.4.0", "fuse_threshold_l1", Group.METER_STATS, Kind.NUMBER, "A"));

    private MeterCodes() {
    }

    private static Map.Entry<ObisCode, Spec> row(String code, String name, Group group, Kind kind, String unit) {
        return Map.entry(ObisCode.parse(code), new Spec(name, group, kind, unit));
    }
}
