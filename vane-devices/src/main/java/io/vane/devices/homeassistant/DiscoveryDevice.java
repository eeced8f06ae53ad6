package io.vane.devices.homeassistant;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The device entities belong to in Home Assistant's device registry: one per meter, weather station
 * or boiler gateway.
 *
 * @param identifiers stable ids (a meter's equipment id), so entities survive a rename
 * @param name as Home Assistant shows it
 * @param manufacturer or null
 * @param model or null
 */
public record DiscoveryDevice(List<String> identifiers, String name, String manufacturer, String model) {
    public DiscoveryDevice {
        identifiers = List.copyOf(identifiers);
        if (identifiers.isEmpty()) {
            throw new IllegalArgumentException("a device needs an identifier");
        }
    }

    /** The {@code device} object of a discovery config. */
    Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("identifiers", identifiers);
        m.put("name", name);
        if (manufacturer != null) {
            m.put("manufacturer", manufacturer);
        }
        if (model != null) {
            m.put("model", model);
        }
        m.put("sw_version", "Vane");
        return m;
    }
}
