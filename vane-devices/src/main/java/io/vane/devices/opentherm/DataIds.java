package io.vane.devices.opentherm;

import static io.vane.devices.opentherm.DataIds.Rw.BOTH;
import static io.vane.devices.opentherm.DataIds.Rw.READ;
import static io.vane.devices.opentherm.DataIds.Rw.WRITE;
import static io.vane.devices.opentherm.DataIds.Which.HIGH;
import static io.vane.devices.opentherm.DataIds.Which.LOW;
import static io.vane.devices.opentherm.DataIds.Which.WORD;
import static io.vane.devices.opentherm.Format.DOWTOD;
import static io.vane.devices.opentherm.Format.F8_8;
import static io.vane.devices.opentherm.Format.FLAG8;
import static io.vane.devices.opentherm.Format.S16;
import static io.vane.devices.opentherm.Format.S8;
import static io.vane.devices.opentherm.Format.U16;
import static io.vane.devices.opentherm.Format.U8;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every data ID of OpenTherm 2.2, and the later ones gateways report (IDs 0-127), as one table in the
 * shape of the seed's firmware: {@code {id, read/write, which byte, format, bit, topic}}. The decoder
 * reads values through it; nothing else knows an ID. Topic names are the value's topic under the
 * prefix ({@code opentherm/flame}); docs/devices/opentherm.md lists them with the specification's names.
 *
 * <p>Where a value travels: a {@link Rw#READ} value in the slave's READ-ACK, a {@link Rw#WRITE} value in
 * the master's WRITE-DATA, a {@link Rw#BOTH} value in either. The master's half of a status exchange
 * (the high byte of IDs 0 and 70) rides on its READ-DATA request: see {@link #MASTER_STATUS}.
 */
public final class DataIds {
    public enum Rw { READ, WRITE, BOTH }

    public enum Which { HIGH, LOW, WORD }

    /**
     * One value of one data ID.
     *
     * @param unit for pages and Home Assistant ({@code °C}, {@code %}, {@code bar}, {@code l/min}, {@code kW}), or null
     */
    public record Row(int id, Rw rw, Which which, Format format, int bit, String topic, String unit) {
        /** Whether the value is carried by a frame of this type (see the class comment). */
        public boolean carriedBy(MessageType type) {
            if (MASTER_STATUS.contains(id) && which == HIGH) {
                return type == MessageType.READ_DATA || type == MessageType.WRITE_DATA;
            }
            return switch (rw) {
                case READ -> type == MessageType.READ_ACK;
                case WRITE -> type == MessageType.WRITE_DATA;
                case BOTH -> type == MessageType.READ_ACK || type == MessageType.WRITE_DATA;
            };
        }
    }

    /** IDs whose high byte holds the master's status flags, sent in the request. */
    static final List<Integer> MASTER_STATUS = List.of(0, 70);

    private static final List<Row> ROWS = new ArrayList<>();

    private static void row(int id, Rw rw, Which which, Format format, int bit, String topic, String unit) {
        ROWS.add(new Row(id, rw, which, format, bit, topic, unit));
    }

    private static void flags(int id, Rw rw, Which which, String... topics) {
        for (int bit = 0; bit < topics.length; bit++) {
            if (topics[bit] != null) {
                row(id, rw, which, FLAG8, bit, topics[bit], null);
            }
        }
    }

    static {
        // 0 Status: master flags in the request's high byte, slave flags in the answer's low byte.
        flags(0, READ, HIGH, "ch_enable", "dhw_enable", "cooling_enable", "otc_active", "ch2_enable",
                "summer_mode", "dhw_blocking");
        flags(0, READ, LOW, "fault", "ch_active", "dhw_active", "flame", "cooling_active", "ch2_active",
                "diagnostic_indication", "electricity_production");
        row(1, WRITE, WORD, F8_8, 0, "control_setpoint", "°C");
        flags(2, WRITE, HIGH, "master_smart_power");
        row(2, WRITE, LOW, U8, 0, "master_memberid", null);
        flags(3, READ, HIGH, "dhw_present", "control_type", "cooling_config", "dhw_config",
                "master_low_off_pump_control", "ch2_present", "remote_water_filling", "heat_cool_mode_control");
        row(3, READ, LOW, U8, 0, "slave_memberid", null);
        row(4, WRITE, HIGH, U8, 0, "remote_command", null);
        row(4, READ, LOW, U8, 0, "remote_command_response", null);
        flags(5, READ, HIGH, "service_request", "lockout_reset", "low_water_pressure", "gas_flame_fault",
                "air_pressure_fault", "water_over_temperature");
        row(5, READ, LOW, U8, 0, "oem_fault_code", null);
        flags(6, READ, HIGH, "remote_dhw_setpoint_transfer", "remote_max_ch_setpoint_transfer");
        flags(6, READ, LOW, "remote_dhw_setpoint_rw", "remote_max_ch_setpoint_rw");
        row(7, WRITE, WORD, F8_8, 0, "cooling_control", "%");
        row(8, WRITE, WORD, F8_8, 0, "control_setpoint2", "°C");
        row(9, READ, WORD, F8_8, 0, "remote_override_setpoint", "°C");
        row(10, READ, HIGH, U8, 0, "tsp_count", null);
        row(11, BOTH, HIGH, U8, 0, "tsp_index", null);
        row(11, BOTH, LOW, U8, 0, "tsp_value", null);
        row(12, READ, HIGH, U8, 0, "fault_buffer_size", null);
        row(13, READ, HIGH, U8, 0, "fault_buffer_index", null);
        row(13, READ, LOW, U8, 0, "fault_buffer_value", null);
        row(14, WRITE, WORD, F8_8, 0, "max_relative_modulation", "%");
        row(15, READ, HIGH, U8, 0, "max_boiler_capacity", "kW");
        row(15, READ, LOW, U8, 0, "min_modulation", "%");
        row(16, WRITE, WORD, F8_8, 0, "room_setpoint", "°C");
        row(17, READ, WORD, F8_8, 0, "relative_modulation", "%");
        row(18, READ, WORD, F8_8, 0, "ch_water_pressure", "bar");
        row(19, READ, WORD, F8_8, 0, "dhw_flow_rate", "l/min");
        row(20, BOTH, WORD, DOWTOD, 0, "day_time", null);
        row(21, BOTH, HIGH, U8, 0, "date_month", null);
        row(21, BOTH, LOW, U8, 0, "date_day", null);
        row(22, BOTH, WORD, U16, 0, "date_year", null);
        row(23, WRITE, WORD, F8_8, 0, "room_setpoint2", "°C");
        row(24, WRITE, WORD, F8_8, 0, "room_temperature", "°C");
        row(25, READ, WORD, F8_8, 0, "flow_temperature", "°C");
        row(26, READ, WORD, F8_8, 0, "dhw_temperature", "°C");
        row(27, READ, WORD, F8_8, 0, "outside_temperature", "°C");
        row(28, READ, WORD, F8_8, 0, "return_temperature", "°C");
        row(29, READ, WORD, F8_8, 0, "solar_storage_temperature", "°C");
        row(30, READ, WORD, F8_8, 0, "solar_collector_temperature", "°C");
        row(31, READ, WORD, F8_8, 0, "flow_temperature2", "°C");
        row(32, READ, WORD, F8_8, 0, "dhw2_temperature", "°C");
        row(33, READ, WORD, S16, 0, "exhaust_temperature", "°C");
        // 34-38: OpenTherm 4, reported by newer boilers through the same gateway.
        row(34, READ, WORD, F8_8, 0, "heat_exchanger_temperature", "°C");
        row(35, READ, HIGH, U8, 0, "fan_speed_setpoint", "Hz");
        row(35, READ, LOW, U8, 0, "fan_speed", "Hz");
        row(36, READ, WORD, F8_8, 0, "flame_current", "µA");
        row(37, WRITE, WORD, F8_8, 0, "room_temperature2", "°C");
        row(38, BOTH, WORD, F8_8, 0, "relative_humidity", "%");
        row(48, READ, HIGH, S8, 0, "dhw_setpoint_max", "°C");
        row(48, READ, LOW, S8, 0, "dhw_setpoint_min", "°C");
        row(49, READ, HIGH, S8, 0, "max_ch_setpoint_max", "°C");
        row(49, READ, LOW, S8, 0, "max_ch_setpoint_min", "°C");
        row(50, READ, HIGH, S8, 0, "otc_ratio_max", null);
        row(50, READ, LOW, S8, 0, "otc_ratio_min", null);
        row(56, BOTH, WORD, F8_8, 0, "dhw_setpoint", "°C");
        row(57, BOTH, WORD, F8_8, 0, "max_ch_setpoint", "°C");
        row(58, BOTH, WORD, F8_8, 0, "otc_heat_curve_ratio", null);
        // 70-91: ventilation and heat recovery units.
        flags(70, READ, HIGH, "vh_ventilation_enable", "vh_bypass_position", "vh_bypass_mode", "vh_free_ventilation_mode");
        flags(70, READ, LOW, "vh_fault", "vh_ventilation_mode", "vh_bypass_status", "vh_bypass_automatic_status",
                "vh_free_ventilation_status", null, "vh_diagnostic_indication");
        row(71, WRITE, LOW, U8, 0, "vh_control_setpoint", "%");
        row(72, READ, HIGH, U8, 0, "vh_fault_flags", null);
        row(72, READ, LOW, U8, 0, "vh_oem_fault_code", null);
        row(73, READ, WORD, U16, 0, "vh_oem_diagnostic_code", null);
        row(74, READ, HIGH, U8, 0, "vh_config", null);
        row(74, READ, LOW, U8, 0, "vh_memberid", null);
        row(75, READ, WORD, F8_8, 0, "vh_opentherm_version", null);
        row(76, READ, HIGH, U8, 0, "vh_product_type", null);
        row(76, READ, LOW, U8, 0, "vh_product_version", null);
        row(77, READ, LOW, U8, 0, "vh_relative_ventilation", "%");
        row(78, READ, LOW, U8, 0, "vh_exhaust_humidity", "%");
        row(79, READ, WORD, U16, 0, "vh_exhaust_co2", "ppm");
        row(80, READ, WORD, F8_8, 0, "vh_supply_inlet_temperature", "°C");
        row(81, READ, WORD, F8_8, 0, "vh_supply_outlet_temperature", "°C");
        row(82, READ, WORD, F8_8, 0, "vh_exhaust_inlet_temperature", "°C");
        row(83, READ, WORD, F8_8, 0, "vh_exhaust_outlet_temperature", "°C");
        row(84, READ, WORD, U16, 0, "vh_exhaust_fan_speed", "rpm");
        row(85, READ, WORD, U16, 0, "vh_supply_fan_speed", "rpm");
        flags(86, READ, HIGH, "vh_remote_nominal_ventilation_transfer");
        flags(86, READ, LOW, "vh_remote_nominal_ventilation_rw");
        row(87, BOTH, HIGH, U8, 0, "vh_nominal_ventilation", "%");
        row(88, READ, HIGH, U8, 0, "vh_tsp_count", null);
        row(89, BOTH, HIGH, U8, 0, "vh_tsp_index", null);
        row(89, BOTH, LOW, U8, 0, "vh_tsp_value", null);
        row(90, READ, HIGH, U8, 0, "vh_fault_buffer_size", null);
        row(91, READ, HIGH, U8, 0, "vh_fault_buffer_index", null);
        row(91, READ, LOW, U8, 0, "vh_fault_buffer_value", null);
        flags(100, READ, LOW, "override_manual_change_priority", "override_program_change_priority");
        row(115, READ, WORD, U16, 0, "oem_diagnostic_code", null);
        row(116, BOTH, WORD, U16, 0, "burner_starts", null);
        row(117, BOTH, WORD, U16, 0, "ch_pump_starts", null);
        row(118, BOTH, WORD, U16, 0, "dhw_pump_starts", null);
        row(119, BOTH, WORD, U16, 0, "dhw_burner_starts", null);
        row(120, BOTH, WORD, U16, 0, "burner_hours", "h");
        row(121, BOTH, WORD, U16, 0, "ch_pump_hours", "h");
        row(122, BOTH, WORD, U16, 0, "dhw_pump_hours", "h");
        row(123, BOTH, WORD, U16, 0, "dhw_burner_hours", "h");
        row(124, WRITE, WORD, F8_8, 0, "master_opentherm_version", null);
        row(125, READ, WORD, F8_8, 0, "slave_opentherm_version", null);
        row(126, WRITE, HIGH, U8, 0, "masterproducttype", null);
        row(126, WRITE, LOW, U8, 0, "masterproductversion", null);
        row(127, READ, HIGH, U8, 0, "slaveproducttype", null);
        row(127, READ, LOW, U8, 0, "slaveproductversion", null);
    }

    private static final Map<Integer, List<Row>> BY_ID;

    static {
        Map<Integer, List<Row>> m = new TreeMap<>();
        for (Row r : ROWS) {
            m.computeIfAbsent(r.id(), k -> new ArrayList<>()).add(r);
        }
        m.replaceAll((k, v) -> List.copyOf(v));
        BY_ID = Collections.unmodifiableMap(m);
    }

    private DataIds() {
    }

    /** The rows of one data ID, in table order; empty for IDs the table does not know. */
    public static List<Row> of(int id) {
        return BY_ID.getOrDefault(id, List.of());
    }

    /** Every row. */
    public static List<Row> all() {
        return List.copyOf(ROWS);
    }

    /** The row publishing {@code topic}, or null. */
    public static Row byTopic(String topic) {
        for (Row r : ROWS) {
            if (r.topic().equals(topic)) {
                return r;
            }
        }
        return null;
    }
}
