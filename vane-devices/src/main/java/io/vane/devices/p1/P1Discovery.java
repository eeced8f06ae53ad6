package io.vane.devices.p1;

import io.vane.broker.local.LocalClient;
import io.vane.devices.homeassistant.DiscoveryDevice;
import io.vane.devices.homeassistant.DiscoveryEntity;
import io.vane.devices.homeassistant.HomeAssistantDiscovery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The meter's entities for Home Assistant, made from its first good telegram so only what the meter
 * measures appears: energy per tariff (accepted by the Energy dashboard), power, per-phase power,
 * voltage and current, gas, water, tariff and failure counts. One device per meter.
 */
public final class P1Discovery {
    private record Row(String field, String name, String unit, String deviceClass, String stateClass) {
    }

    private static final List<Row> ROWS = List.of(
            new Row("electricity_delivered_1", "Energy import tariff 1", "kWh", "energy", "total_increasing"),
            new Row("electricity_delivered_2", "Energy import tariff 2", "kWh", "energy", "total_increasing"),
            new Row("electricity_returned_1", "Energy export tariff 1", "kWh", "energy", "total_increasing"),
            new Row("electricity_returned_2", "Energy export tariff 2", "kWh", "energy", "total_increasing"),
            new Row("electricity_delivered", "Energy import", "kWh", "energy", "total_increasing"),
            new Row("electricity_returned", "Energy export", "kWh", "energy", "total_increasing"),
            new Row("electricity_currently_delivered", "Power import", "kW", "power", "measurement"),
            new Row("electricity_currently_returned", "Power export", "kW", "power", "measurement"),
            new Row("phase_currently_delivered_l1", "Power import L1", "kW", "power", "measurement"),
            new Row("phase_currently_delivered_l2", "Power import L2", "kW", "power", "measurement"),
            new Row("phase_currently_delivered_l3", "Power import L3", "kW", "power", "measurement"),
            new Row("phase_currently_returned_l1", "Power export L1", "kW", "power", "measurement"),
            new Row("phase_currently_returned_l2", "Power export L2", "kW", "power", "measurement"),
            new Row("phase_currently_returned_l3", "Power export L3", "kW", "power", "measurement"),
            new Row("phase_voltage_l1", "Voltage L1", "V", "voltage", "measurement"),
            new Row("phase_voltage_l2", "Voltage L2", "V", "voltage", "measurement"),
            new Row("phase_voltage_l3", "Voltage L3", "V", "voltage", "measurement"),
            new Row("phase_power_current_l1", "Current L1", "A", "current", "measurement"),
            new Row("phase_power_current_l2", "Current L2", "A", "current", "measurement"),
            new Row("phase_power_current_l3", "Current L3", "A", "current", "measurement"),
            new Row("electricity_average_demand", "Quarter-hour average demand", "kW", "power", "measurement"),
            new Row("extra_device_delivered", "Gas", "m³", "gas", "total_increasing"),
            new Row("water_delivered", "Water", "m³", "water", "total_increasing"),
            new Row("heat_delivered", "Heat", "GJ", "energy", "total_increasing"),
            new Row("electricity_tariff_name", "Tariff", null, null, null),
            new Row("power_failure_count", "Power failures", null, null, "total_increasing"),
            new Row("long_power_failure_count", "Long power failures", null, null, "total_increasing"));

    /** Manufacturer codes of the identification line (the FLAG ids of the meters seen on P1 ports). */
    private static final Map<String, String> MAKERS = Map.of("ISK", "Iskra", "KFM", "Kaifa", "XMX", "Landis+Gyr",
            "KMP", "Kamstrup", "FLU", "Fluvius", "SAG", "Sagemcom", "EST", "Sagemcom", "ESY", "EasyMeter",
            "CTA", "Ziv", "ZIV", "Ziv");

    private P1Discovery() {
    }

    /** The entities for {@code r}'s fields, with state topics under {@code prefix}. */
    public static List<DiscoveryEntity> entities(MeterReading r, String prefix) {
        List<DiscoveryEntity> out = new ArrayList<>();
        for (Row row : ROWS) {
            MeterField f = r.field(row.field());
            if (f != null) {
                String group = f.group() == MeterField.Group.READING ? "/reading/" : "/meter-stats/";
                out.add(DiscoveryEntity.sensor(row.field(), row.name(), prefix + group + row.field(), row.unit(),
                        row.deviceClass(), row.stateClass()));
            }
        }
        return out;
    }

    /** The device for a meter called {@code name}, identified by its equipment id when it sends one. */
    public static DiscoveryDevice device(MeterReading r, String name) {
        MeterField id = r.field("equipment_id");
        String ident = id != null && !id.payload().isEmpty() ? id.payload() : name;
        String header = r.header();
        String maker = header.length() >= 3 ? MAKERS.get(header.substring(0, 3).toUpperCase(java.util.Locale.ROOT))
                : null;
        return new DiscoveryDevice(List.of("vane_p1_" + ident), "Smart meter " + name, maker, header);
    }

    /** Announces a meter's entities once, on its first good telegram. Returns the consumer to give the source. */
    public static java.util.function.Consumer<MeterReading> announcer(LocalClient client, String name, String prefix) {
        boolean[] done = {false};
        return r -> {
            if (!done[0]) {
                done[0] = true;
                String node = "vane_p1_" + name.replaceAll("[^A-Za-z0-9_-]", "_");
                new HomeAssistantDiscovery(client, node, device(r, name), P1Publisher.availabilityTopic(prefix))
                        .announce(entities(r, prefix));
            }
        };
    }
}
