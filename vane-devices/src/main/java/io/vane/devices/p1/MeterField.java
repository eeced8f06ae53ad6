package io.vane.devices.p1;

/**
 * One value of a reading, ready to publish.
 *
 * @param name the field's name: its topic level and JSON key ({@code electricity_currently_delivered})
 * @param group where it is published
 * @param value a BigDecimal (in {@code unit}), Long, String, Instant, or a List of Maps (the logs)
 * @param unit the unit the value is in ({@code kWh}, {@code kW}, {@code V}, {@code A}, {@code m³}), or null
 */
public record MeterField(String name, Group group, Object value, String unit) {

    /** Where a field is published: {@code PREFIX/reading/NAME} or {@code PREFIX/meter-stats/NAME}. */
    public enum Group { READING, METER_STATS }

    /** The value as a topic's payload: numbers plain, instants ISO-8601, lists as JSON. */
    public String payload() {
        if (value instanceof java.math.BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof java.util.List<?>) {
            return io.vane.devices.source.Json.write(value);
        }
        return String.valueOf(value);
    }
}
