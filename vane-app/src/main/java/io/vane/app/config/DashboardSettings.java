package io.vane.app.config;

import java.util.List;

/**
 * What the page's charts start from: history_topics and history_hours.
 *
 * @param historyTopics topics whose messages the broker keeps for /api/history
 * @param historyHours how far back, in hours
 * @param httpThreads http_threads (Vane's own): workers for history answers and http_dir files (decision 0009)
 */
public record DashboardSettings(List<String> historyTopics, int historyHours, int httpThreads) {
    public static final int DEFAULT_HTTP_THREADS = 1;
    public static final DashboardSettings DEFAULTS =
            new DashboardSettings(List.of("weather/loop"), 24, DEFAULT_HTTP_THREADS);

    public DashboardSettings {
        historyTopics = List.copyOf(historyTopics);
    }
}
