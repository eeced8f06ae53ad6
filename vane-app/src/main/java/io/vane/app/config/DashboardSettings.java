package io.vane.app.config;

import java.util.List;

/**
 * What the page's charts start from: history_topics and history_hours.
 *
 * @param historyTopics topics whose messages the broker keeps for /api/history
 * @param historyHours how far back, in hours
 */
public record DashboardSettings(List<String> historyTopics, int historyHours) {
    public static final DashboardSettings DEFAULTS = new DashboardSettings(List.of("weather/loop"), 24);

    public DashboardSettings {
        historyTopics = List.copyOf(historyTopics);
    }
}
