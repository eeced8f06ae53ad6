package io.vane.devices.p1;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Today's energy and gas, as differences between the meter's counters now and at the first telegram
 * of the day, so they come out right across midnight and across restarts: the day's starting counters
 * are published retained ({@code PREFIX/day-consumption/start}) and read back at start-up. Names as
 * DSMR-reader's {@code dsmr/day-consumption/*}. Thread-safe: the reader updates, the client's thread restores.
 */
final class DayTotals {
    private final ZoneId zone;
    private LocalDate day;
    private BigDecimal delivered;
    private BigDecimal returned;
    private BigDecimal gas;

    DayTotals(ZoneId zone) {
        this.zone = zone;
    }

    /**
     * Adopts a start read back from the retained topic when it is for the same day and no later than
     * the one in use (a start taken by this run before the retained one arrived).
     */
    synchronized void restore(Map<String, String> start) {
        try {
            LocalDate d = LocalDate.parse(start.get("date"));
            BigDecimal e = new BigDecimal(start.get("electricity_delivered"));
            if (day != null && (!d.equals(day) || delivered == null || e.compareTo(delivered) > 0)) {
                return;
            }
            day = d;
            delivered = e;
            returned = decimal(start.get("electricity_returned"));
            gas = decimal(start.get("gas"));
        } catch (RuntimeException ignored) {
            // Not a start this class wrote: keep counting from today's first telegram.
        }
    }

    /**
     * Takes a reading; returns the day's totals, and sets {@code newStart[0]} when the start changed
     * (a new day or a replaced meter) and must be published.
     */
    synchronized Map<String, Object> update(MeterReading r, Instant now, boolean[] newStart) {
        BigDecimal e = total(r, "electricity_delivered");
        BigDecimal ret = total(r, "electricity_returned");
        BigDecimal g = r.number("extra_device_delivered");
        LocalDate today = (r.timestamp() != null ? r.timestamp() : now).atZone(zone).toLocalDate();
        boolean lower = e != null && delivered != null && e.compareTo(delivered) < 0;
        if (!today.equals(day) || lower || (delivered == null && e != null)) {
            day = today;
            delivered = e;
            returned = ret;
            gas = g;
            newStart[0] = true;
        }
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("date", day.toString());
        if (e != null && delivered != null) {
            totals.put("electricity_merged", e.subtract(delivered));
        }
        if (ret != null && returned != null) {
            totals.put("electricity_returned_merged", ret.subtract(returned));
        }
        if (g != null && gas != null && g.compareTo(gas) >= 0) {
            totals.put("gas", g.subtract(gas));
        } else if (g != null) {
            gas = g;
            totals.put("gas", BigDecimal.ZERO);
        }
        return totals;
    }

    /** The day's starting counters, as published. */
    synchronized Map<String, Object> start() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("date", day == null ? null : day.toString());
        m.put("electricity_delivered", delivered);
        m.put("electricity_returned", returned);
        m.put("gas", gas);
        return m;
    }

    /** Both tariffs added up, or the meter's own total (meters with one register). */
    static BigDecimal total(MeterReading r, String base) {
        BigDecimal one = r.number(base + "_1");
        BigDecimal two = r.number(base + "_2");
        if (one != null && two != null) {
            return one.add(two);
        }
        return r.number(base);
    }

    private static BigDecimal decimal(String s) {
        return s == null || s.equals("null") ? null : new BigDecimal(s);
    }
}
