package io.vane.devices.p1;

import io.vane.devices.p1.MeterCodes.Kind;
import io.vane.devices.p1.MeterCodes.Spec;
import io.vane.devices.p1.MeterField.Group;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one telegram says, as named fields in the units users expect: energy in kWh, power in kW,
 * voltage in V, current in A, gas and water in m³ (meters that write W or Wh are converted). Every
 * data line becomes a field; codes Vane has no name for keep a generic one. Immutable.
 *
 * @param header the identification line (manufacturer and model)
 * @param belgian whether the telegram is e-MUCS (Fluvius), whose tariff numbers mean the opposite
 * @param fields in telegram order
 */
public record MeterReading(String header, boolean belgian, List<MeterField> fields) {

    public MeterReading {
        fields = List.copyOf(fields);
    }

    /** Interprets {@code t}; throws IllegalArgumentException naming the line when a value is not what its code needs. */
    public static MeterReading of(Telegram t) {
        boolean belgian = t.find(MeterCodes.EMUCS_VERSION) != null;
        List<MeterField> fields = new ArrayList<>();
        MbusChannels mbus = new MbusChannels();
        for (CosemObject o : t.objects()) {
            try {
                if (o.code().a() == 0 && o.code().b() >= 1 && o.code().b() <= 4) {
                    mbus.add(o);
                } else {
                    add(fields, o, belgian);
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(o.code() + ": " + e.getMessage(), e);
            }
        }
        mbus.addTo(fields);
        return new MeterReading(t.header(), belgian, fields);
    }

    private static void add(List<MeterField> fields, CosemObject o, boolean belgian) {
        ObisCode code = o.code();
        if (code.equals(MeterCodes.TIMESTAMP)) {
            fields.add(new MeterField("timestamp", Group.READING, DsmrTime.parse(o.value(0)), null));
            Boolean summer = DsmrTime.summer(o.value(0));
            if (summer != null) {
                fields.add(new MeterField("timestamp_dst", Group.METER_STATS, summer ? "S" : "W", null));
            }
        } else if (code.equals(MeterCodes.FAILURE_LOG)) {
            fields.add(new MeterField("power_failure_log", Group.METER_STATS, failureLog(o), null));
        } else if (code.equals(MeterCodes.MAX_DEMAND_MONTH)) {
            fields.add(new MeterField("electricity_max_demand_month", Group.READING,
                    Values.number(o.value(1), "kW"), "kW"));
            fields.add(new MeterField("electricity_max_demand_month_timestamp", Group.READING,
                    DsmrTime.parse(o.value(0)), null));
        } else if (code.equals(MeterCodes.MAX_DEMAND_HISTORY)) {
            fields.add(new MeterField("electricity_max_demand_history", Group.METER_STATS, demandHistory(o), null));
        } else {
            Spec spec = MeterCodes.TABLE.get(code);
            if (spec == null) {
                fields.add(new MeterField(code.genericName(), Group.READING, String.join(")(", o.values()), null));
                return;
            }
            fields.add(new MeterField(spec.name(), spec.group(), value(spec, o.value(0)), unit(spec, o.value(0))));
            if (code.equals(MeterCodes.TARIFF)) {
                long tariff = Values.count(o.value(0));
                // NL: tariff 1 is the low (night, weekend) rate; Belgium numbers them the other way round.
                boolean low = belgian ? tariff == 2 : tariff == 1;
                fields.add(new MeterField("electricity_tariff_name", Group.METER_STATS, low ? "low" : "normal", null));
            }
        }
    }

    private static Object value(Spec spec, String text) {
        return switch (spec.kind()) {
            case NUMBER -> Values.number(text, spec.unit());
            case COUNT -> Values.count(text);
            case TEXT -> text;
            case HEX_TEXT -> Values.hexText(text);
        };
    }

    private static String unit(Spec spec, String text) {
        if (spec.kind() != Kind.NUMBER) {
            return null;
        }
        return spec.unit() != null ? spec.unit() : Values.unitOf(text);
    }

    /** {@code (n)(0-0:96.7.19)(end)(duration*s)...}: when each long power failure ended and how long it lasted. */
    private static List<Map<String, Object>> failureLog(CosemObject o) {
        int n = (int) Values.count(o.value(0));
        if (o.values().size() != 2 + 2 * n) {
            throw new IllegalArgumentException(n + " entries announced, " + (o.values().size() - 2) / 2 + " given");
        }
        List<Map<String, Object>> log = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("end", DsmrTime.parse(o.value(2 + 2 * i)));
            e.put("duration_s", Values.number(o.value(3 + 2 * i), "s").longValueExact());
            log.add(e);
        }
        return log;
    }

    /** e-MUCS {@code (n)(1-0:1.6.0)(1-0:1.6.0)(month)(when)(peak*kW)...}: the monthly peaks of the last 13 months. */
    private static List<Map<String, Object>> demandHistory(CosemObject o) {
        int n = (int) Values.count(o.value(0));
        if (o.values().size() != 3 + 3 * n) {
            throw new IllegalArgumentException(n + " months announced, " + (o.values().size() - 3) / 3 + " given");
        }
        List<Map<String, Object>> months = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("month", DsmrTime.parse(o.value(3 + 3 * i)));
            e.put("at", DsmrTime.parse(o.value(4 + 3 * i)));
            e.put("kw", Values.number(o.value(5 + 3 * i), "kW"));
            months.add(e);
        }
        return months;
    }

    /** The field called {@code name}, or null. */
    public MeterField field(String name) {
        for (MeterField f : fields) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }

    /** The number in field {@code name}, or null when absent or not a number. */
    public BigDecimal number(String name) {
        MeterField f = field(name);
        return f != null && f.value() instanceof BigDecimal d ? d : null;
    }

    /** The meter's own time, or null (DSMR 2.2 and 3.0 telegrams carry none). */
    public Instant timestamp() {
        MeterField f = field("timestamp");
        return f == null ? null : (Instant) f.value();
    }

    /** Everything as one JSON object, DSMR-reader's {@code dsmr/json} layout: field name to value. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (MeterField f : fields) {
            m.put(f.name(), f.value());
        }
        return m;
    }
}
