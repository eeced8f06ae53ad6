package io.vane.devices.p1;

import io.vane.devices.p1.MeterField.Group;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;

/**
 * The M-Bus devices behind the meter, channels 1 to 4 ({@code 0-n:...}): gas, water, heat. Each
 * channel gives {@code mbusN_*} fields, and the first gas, water and heat meter also the plain names
 * ({@code extra_device_delivered} and {@code extra_device_timestamp} for gas, as DSMR-reader calls
 * them; {@code water_delivered}; {@code heat_delivered}). Reads DSMR 4/5 {@code 24.2.1}, Belgian
 * non-temperature-corrected gas {@code 24.2.3} and the DSMR 2.2/3.0 two-line {@code 24.3.0}.
 */
final class MbusChannels {
    /** M-Bus medium codes (EN 13757-3) that the P1 companion standards use. */
    private static final long GAS = 3;
    private static final long WATER = 7;
    private static final long HEAT = 4;
    private static final long HEAT_INLET = 12;

    private static final class Channel {
        Long type;
        String id;
        BigDecimal value;
        String unit;
        Instant at;
        Long valve;
        final java.util.List<MeterField> other = new java.util.ArrayList<>();
    }

    private final TreeMap<Integer, Channel> channels = new TreeMap<>();

    void add(CosemObject o) {
        ObisCode code = o.code();
        Channel ch = channels.computeIfAbsent(code.b(), n -> new Channel());
        String key = code.c() + "." + code.d() + "." + code.e();
        switch (key) {
            case "24.1.0" -> ch.type = Values.count(o.value(0));
            case "96.1.0", "96.1.1" -> ch.id = o.value(0);
            case "24.2.1", "24.2.3" -> {
                ch.at = DsmrTime.parse(o.value(0));
                ch.value = Values.number(o.value(1), null);
                ch.unit = Values.unitOf(o.value(1));
            }
            case "24.3.0" -> {
                // (time)(00)(60)(1)(0-n:24.2.1)(unit) and, on the next line, (value)
                if (o.values().size() != 7) {
                    throw new IllegalArgumentException("a two-line reading needs 7 values, got " + o.values().size());
                }
                ch.at = DsmrTime.parse(o.value(0));
                ch.unit = Values.si(o.value(5));
                ch.value = Values.number(o.value(6), null);
            }
            case "24.4.0" -> ch.valve = Values.count(o.value(0));
            default -> ch.other.add(new MeterField(code.genericName(), Group.READING, String.join(")(", o.values()),
                    null));
        }
    }

    void addTo(List<MeterField> fields) {
        java.util.Set<String> named = new java.util.HashSet<>();
        for (var e : channels.entrySet()) {
            String p = "mbus" + e.getKey() + "_";
            Channel ch = e.getValue();
            if (ch.type != null) {
                fields.add(new MeterField(p + "device_type", Group.METER_STATS, ch.type, null));
            }
            if (ch.id != null) {
                fields.add(new MeterField(p + "equipment_id", Group.METER_STATS, ch.id, null));
            }
            if (ch.value != null) {
                fields.add(new MeterField(p + "delivered", Group.READING, ch.value, ch.unit));
                fields.add(new MeterField(p + "timestamp", Group.READING, ch.at, null));
                String kind = kind(ch);
                if (kind != null && named.add(kind)) {
                    String name = kind.equals("gas") ? "extra_device" : kind;
                    fields.add(new MeterField(name + "_delivered", Group.READING, ch.value, ch.unit));
                    fields.add(new MeterField(name + "_timestamp", Group.READING, ch.at, null));
                }
            }
            if (ch.valve != null) {
                fields.add(new MeterField(p + "valve_position", Group.METER_STATS, ch.valve, null));
            }
            fields.addAll(ch.other);
        }
    }

    /** gas, water, heat, or null; a channel without a type line that counts m³ is gas (DSMR 2.2). */
    private static String kind(Channel ch) {
        if (ch.type == null) {
            return "m³".equals(ch.unit) ? "gas" : null;
        }
        if (ch.type == GAS) {
            return "gas";
        }
        if (ch.type == WATER) {
            return "water";
        }
        return ch.type == HEAT || ch.type == HEAT_INLET ? "heat" : null;
    }
}
