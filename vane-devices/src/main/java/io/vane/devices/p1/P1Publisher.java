package io.vane.devices.p1;

import io.vane.broker.local.LocalClient;
import io.vane.devices.source.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Publishes readings as DSMR-reader does, all retained so a new subscriber sees the meter at once:
 * {@code PREFIX/json} (every field of one telegram), {@code PREFIX/reading/FIELD} and
 * {@code PREFIX/meter-stats/FIELD} (one value each), {@code PREFIX/day-consumption/*} (today's
 * energy and gas), and the meter's availability on {@code PREFIX/availability}.
 *
 * <p>With a refresh interval the one-value topics are change-only: a value is sent when it changes
 * and, unchanged, once per interval, so a subscriber is not woken every second for a counter that
 * did not move. {@code PREFIX/json} always goes out, one per telegram.
 *
 * <p>Owned by the source's reading thread.
 */
public final class P1Publisher {
    private final LocalClient client;
    private final String prefix;
    private final long refreshMillis;
    private final Clock clock;
    private final DayTotals day;
    private final Map<String, String> lastPayload = new HashMap<>();
    private final Map<String, Long> lastSent = new HashMap<>();
    private String availability;

    /**
     * @param refreshMillis 0 to publish every value of every telegram; otherwise change-only with a
     *     full refresh this often
     */
    public P1Publisher(LocalClient client, String prefix, long refreshMillis, Clock clock) {
        this.client = client;
        this.prefix = prefix;
        this.refreshMillis = refreshMillis;
        this.clock = clock;
        this.day = new DayTotals(clock.getZone());
    }

    /** The availability topic, for the source's will and for Home Assistant. */
    public static String availabilityTopic(String prefix) {
        return prefix + "/availability";
    }

    /** Reads the day's retained start back (restarts keep today's totals); call once before readings. */
    public void restoreDay() {
        client.subscribe(prefix + "/day-consumption/start", 0, m -> day.restore(
                Json.flatObject(new String(m.payload(), StandardCharsets.UTF_8))));
    }

    /** Publishes one good telegram's reading, and marks the meter online. */
    public void publish(MeterReading r, long rejectedTelegrams) {
        available(true);
        Map<String, Object> json = new LinkedHashMap<>(r.asMap());
        send(prefix + "/json", Json.write(json), true);
        for (MeterField f : r.fields()) {
            String group = f.group() == MeterField.Group.READING ? "/reading/" : "/meter-stats/";
            send(prefix + group + f.name(), f.payload(), false);
        }
        send(prefix + "/meter-stats/rejected_telegrams", Long.toString(rejectedTelegrams), false);
        send(prefix + "/meter-stats/last_telegram", "ok", false);
        boolean[] newStart = {false};
        Map<String, Object> totals = day.update(r, clock.instant(), newStart);
        if (newStart[0]) {
            send(prefix + "/day-consumption/start", Json.write(day.start()), true);
        }
        totals.forEach((k, v) -> send(prefix + "/day-consumption/" + k, v instanceof java.math.BigDecimal d
                ? d.toPlainString() : String.valueOf(v), false));
        send(prefix + "/day-consumption/json", Json.write(totals), true);
    }

    /** A telegram was rejected: says so on {@code PREFIX/meter-stats/last_telegram} (the page shows it). */
    public void rejected(Rejection r, long rejectedTelegrams) {
        send(prefix + "/meter-stats/last_telegram", r.reason().words(), true);
        send(prefix + "/meter-stats/rejected_telegrams", Long.toString(rejectedTelegrams), true);
    }

    /** Publishes {@code online} or {@code offline} when it changes. */
    public void available(boolean online) {
        String state = online ? "online" : "offline";
        if (!state.equals(availability)) {
            availability = state;
            client.publish(availabilityTopic(prefix), state.getBytes(StandardCharsets.UTF_8), 1, true);
        }
    }

    /** Sends unless change-only says the subscriber has it already; {@code always} for per-telegram topics. */
    private void send(String topic, String payload, boolean always) {
        long now = clock.millis();
        if (!always && refreshMillis > 0 && payload.equals(lastPayload.get(topic))
                && now - lastSent.getOrDefault(topic, 0L) < refreshMillis) {
            return;
        }
        lastPayload.put(topic, payload);
        lastSent.put(topic, now);
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 0, true);
    }
}
