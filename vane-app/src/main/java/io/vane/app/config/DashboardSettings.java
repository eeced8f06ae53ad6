package io.vane.app.config;

import java.util.List;

/**
 * What the page's charts keep: history_topics, history_hours and history_days.
 *
 * @param historyTopics topics whose messages the broker keeps for /api/history
 * @param historyHours how far back the day range goes, in hours: raw points and 1-minute averages in
 *        memory, and (persistence true) the raw points on disk, read back at start-up
 * @param httpThreads http_threads (Vane's own): workers for history answers and http_dir files (decision 0009)
 * @param historyDays history_days (Vane's own): how long the downsampled tiers are kept on disk with
 *        persistence true (decision 0012); no tier keeps longer
 */
public record DashboardSettings(List<String> historyTopics, int historyHours, int httpThreads, int historyDays) {
    public static final int DEFAULT_HTTP_THREADS = 1;
    /** 13 months and a bit: the year range is always full. */
    public static final int DEFAULT_HISTORY_DAYS = 400;
    public static final DashboardSettings DEFAULTS =
            new DashboardSettings(List.of("weather/loop"), 24, DEFAULT_HTTP_THREADS, DEFAULT_HISTORY_DAYS);

    public DashboardSettings {
        historyTopics = List.copyOf(historyTopics);
    }

    /** The settings before history_days, with its default. */
    public DashboardSettings(List<String> historyTopics, int historyHours, int httpThreads) {
        this(historyTopics, historyHours, httpThreads, DEFAULT_HISTORY_DAYS);
    }
}
