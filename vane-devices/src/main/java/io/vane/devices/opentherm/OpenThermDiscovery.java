package io.vane.devices.opentherm;

import io.vane.broker.local.LocalClient;
import io.vane.devices.homeassistant.DiscoveryDevice;
import io.vane.devices.homeassistant.DiscoveryEntity;
import io.vane.devices.homeassistant.HomeAssistantDiscovery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The gateway's entities for Home Assistant, through the shared discovery helper: a {@code climate}
 * entity (room temperature, room setpoint, and a setpoint override through {@code PREFIX/set/setpoint}),
 * binary sensors for flame, central heating, hot water and fault, and sensors for the temperatures,
 * modulation, pressure and counters. One device for the gateway.
 */
public final class OpenThermDiscovery {
    private record Row(String topic, String name, String deviceClass, String stateClass) {
    }

    private static final List<Row> SENSORS = List.of(
            new Row("flow_temperature", "Flow temperature", "temperature", "measurement"),
            new Row("return_temperature", "Return temperature", "temperature", "measurement"),
            new Row("dhw_temperature", "Hot water temperature", "temperature", "measurement"),
            new Row("outside_temperature", "Outside temperature", "temperature", "measurement"),
            new Row("room_temperature", "Room temperature", "temperature", "measurement"),
            new Row("room_setpoint", "Room setpoint", "temperature", "measurement"),
            new Row("control_setpoint", "Control setpoint", "temperature", "measurement"),
            new Row("relative_modulation", "Modulation", null, "measurement"),
            new Row("ch_water_pressure", "Water pressure", "pressure", "measurement"),
            new Row("burner_starts", "Burner starts", null, "total_increasing"),
            new Row("burner_hours", "Burner hours", "duration", "total_increasing"),
            new Row("dhw_burner_starts", "Hot water burner starts", null, "total_increasing"),
            new Row("ch_pump_starts", "Pump starts", null, "total_increasing"));

    private static final List<Row> BINARY = List.of(
            new Row("flame", "Flame", "heat", null),
            new Row("ch_active", "Central heating", "heat", null),
            new Row("dhw_active", "Hot water", "heat", null),
            new Row("fault", "Fault", "problem", null));

    private OpenThermDiscovery() {
    }

    /** The entities of a gateway publishing under {@code prefix}. */
    public static List<DiscoveryEntity> entities(String prefix) {
        List<DiscoveryEntity> out = new ArrayList<>();
        Map<String, Object> climate = new LinkedHashMap<>();
        climate.put("current_temperature_topic", prefix + "/room_temperature");
        climate.put("temperature_state_topic", prefix + "/room_setpoint");
        climate.put("temperature_command_topic", prefix + "/set/setpoint");
        climate.put("action_topic", prefix + "/flame");
        climate.put("action_template", "{{ 'heating' if value == 'true' else 'idle' }}");
        climate.put("modes", List.of("heat"));
        climate.put("min_temp", 5);
        climate.put("max_temp", 30);
        climate.put("temp_step", 0.5);
        climate.put("temperature_unit", "C");
        out.add(new DiscoveryEntity("climate", "thermostat", "Thermostat", null, null, null, null, null, climate));
        for (Row r : BINARY) {
            out.add(new DiscoveryEntity("binary_sensor", r.topic(), r.name(), prefix + "/" + r.topic(), null, null,
                    r.deviceClass(), null, Map.of("payload_on", "true", "payload_off", "false")));
        }
        for (Row r : SENSORS) {
            DataIds.Row row = DataIds.byTopic(r.topic());
            out.add(DiscoveryEntity.sensor(r.topic(), r.name(), prefix + "/" + r.topic(), row.unit(), r.deviceClass(),
                    r.stateClass()));
        }
        return out;
    }

    /** The gateway as one device. */
    public static DiscoveryDevice device(String name) {
        return new DiscoveryDevice(List.of("vane_otgw_" + name), "Boiler " + name, "Schelte Bron (OTGW)",
                "OpenTherm Gateway");
    }

    /** Announces the gateway's entities once, at its first frame; the consumer to give the reader. */
    public static Consumer<OtFrame> announcer(LocalClient client, String name, String prefix) {
        boolean[] done = {false};
        return f -> {
            if (!done[0]) {
                done[0] = true;
                String node = "vane_otgw_" + name.replaceAll("[^A-Za-z0-9_-]", "_");
                new HomeAssistantDiscovery(client, node, device(name), OpenThermPublisher.availabilityTopic(prefix))
                        .announce(entities(prefix));
            }
        };
    }
}
