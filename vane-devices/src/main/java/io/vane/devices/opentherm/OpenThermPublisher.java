package io.vane.devices.opentherm;

import io.vane.broker.local.LocalClient;
import io.vane.devices.source.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Publishes the boiler's values change-only, retained: {@code PREFIX/TOPIC} (one value each, the
 * thermostat's differing view under {@code PREFIX/thermostat/TOPIC}) when a value changes by at least
 * its format's dead band, and unchanged once per refresh interval, so a boiler repeating the same frame
 * twice a second costs nothing. {@code PREFIX/json} holds every current value in one object, published
 * at most once a second when something changed and at each refresh. {@code PREFIX/availability} is
 * {@code online} or {@code offline} (and the source's will).
 *
 * <p>Owned by the source's reading thread.
 */
public final class OpenThermPublisher {
    /** The summary is sent at most this often. */
    static final long SUMMARY_MILLIS = 1_000;

    private final LocalClient client;
    private final String prefix;
    private final long refreshMillis;
    private final Clock clock;
    private final Map<String, Object> published = new HashMap<>();
    private final Map<String, Long> sentAt = new HashMap<>();
    private final Map<String, Object> summary = new LinkedHashMap<>();
    private boolean summaryDirty;
    private long summarySentAt = Long.MIN_VALUE / 2;
    private long publishes;
    private String availability;

    /** @param refreshMillis unchanged values are sent again this often; 0 never */
    public OpenThermPublisher(LocalClient client, String prefix, long refreshMillis, Clock clock) {
        this.client = client;
        this.prefix = prefix;
        this.refreshMillis = refreshMillis;
        this.clock = clock;
    }

    public static String availabilityTopic(String prefix) {
        return prefix + "/availability";
    }

    /** A decoded value; published if new, changed past the dead band, or due for its refresh. */
    void value(DataIds.Row row, Object value, boolean thermostatView) {
        String topic = thermostatView ? "thermostat/" + row.topic() : row.topic();
        if (!thermostatView) {
            summary.put(row.topic(), value);
        }
        send(topic, value, row.format().deadBand());
    }

    /** A gateway counter or state ({@code gateway/parity_errors}, ...), change-only like the values. */
    void gateway(String name, Object value) {
        send("gateway/" + name, value, BigDecimal.ZERO);
    }

    private void send(String topic, Object value, BigDecimal deadBand) {
        long now = clock.millis();
        Object last = published.get(topic);
        boolean due = refreshMillis > 0 && now - sentAt.getOrDefault(topic, now) >= refreshMillis;
        if (last != null && !changed(last, value, deadBand) && !due) {
            return;
        }
        if (last != null && !changed(last, value, deadBand)) {
            value = last; // a refresh repeats what subscribers have, not a value inside the dead band
        } else if (!topic.startsWith("thermostat/") && !topic.startsWith("gateway/")) {
            summaryDirty = true;
        }
        published.put(topic, value);
        sentAt.put(topic, now);
        publishes++;
        client.publish(prefix + "/" + topic, text(value).getBytes(StandardCharsets.UTF_8), 0, true);
    }

    private static boolean changed(Object last, Object value, BigDecimal deadBand) {
        if (last instanceof BigDecimal a && value instanceof BigDecimal b) {
            return a.subtract(b).abs().compareTo(deadBand) >= 0 && a.compareTo(b) != 0;
        }
        return !last.equals(value);
    }

    private static String text(Object value) {
        return value instanceof BigDecimal d ? d.toPlainString() : String.valueOf(value);
    }

    /** Sends the summary when values changed (at most once a second) or its refresh is due; call often. */
    void tick() {
        long now = clock.millis();
        boolean due = refreshMillis > 0 && now - summarySentAt >= refreshMillis;
        if (summary.isEmpty() || !(summaryDirty || due) || now - summarySentAt < SUMMARY_MILLIS) {
            return;
        }
        summaryDirty = false;
        summarySentAt = now;
        Map<String, Object> json = new LinkedHashMap<>(summary);
        json.put("timestamp", clock.instant());
        client.publish(prefix + "/json", Json.write(json).getBytes(StandardCharsets.UTF_8), 0, true);
    }

    /** Publishes {@code online} or {@code offline} when it changes. */
    public void available(boolean online) {
        String state = online ? "online" : "offline";
        if (!state.equals(availability)) {
            availability = state;
            client.publish(availabilityTopic(prefix), state.getBytes(StandardCharsets.UTF_8), 1, true);
        }
    }

    /** The last published value of {@code topic} (under the prefix), or null. */
    Object current(String topic) {
        return published.get(topic);
    }

    /** One-value publishes so far (not the summary or availability): what the change-only test counts. */
    public long publishes() {
        return publishes;
    }
}
