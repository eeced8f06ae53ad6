package io.vane.devices.p1;

import java.util.List;

/**
 * One data line of a telegram: its OBIS code and the texts inside each pair of parentheses, as
 * written ({@code 1-0:1.8.1(000004.426*kWh)} has one value, {@code 000004.426*kWh}).
 */
public record CosemObject(ObisCode code, List<String> values) {
    public CosemObject {
        values = List.copyOf(values);
    }

    /** The value at {@code index}, or "" when there is none. */
    public String value(int index) {
        return index < values.size() ? values.get(index) : "";
    }
}
