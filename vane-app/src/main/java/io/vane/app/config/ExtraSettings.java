package io.vane.app.config;

/**
 * Mosquitto options that Vane parses and records but that {@link io.vane.broker.BrokerSettings} has
 * no field for yet. Kept so a user's file carries over unchanged and later work can act on them.
 *
 * @param perListenerSettings per_listener_settings: whether security options apply per listener
 * @param persistenceFile persistence_file, or null for Mosquitto's default {@code mosquitto.db}
 * @param autosaveInterval autosave_interval in seconds (Mosquitto's default 1800)
 * @param ioThreads io_threads (Vane's own): network event loops; 0 = one per core
 * @param httpThreads http_threads (Vane's own): workers for history answers and http_dir files (decision 0009)
 */
public record ExtraSettings(boolean perListenerSettings, String persistenceFile, int autosaveInterval,
        boolean simulateWeather, java.util.List<String> historyTopics, int historyHours, int ioThreads,
        int httpThreads) {

    /** One worker: on a two-core machine a second could take the other core from MQTT. */
    public static final int DEFAULT_HTTP_THREADS = 1;

    /** Topics whose history the page's charts start from, by default. */
    public static final java.util.List<String> DEFAULT_HISTORY_TOPICS = java.util.List.of("weather/loop");

    public ExtraSettings {
        historyTopics = java.util.List.copyOf(historyTopics);
    }

    public ExtraSettings(boolean perListenerSettings, String persistenceFile, int autosaveInterval,
            boolean simulateWeather, java.util.List<String> historyTopics, int historyHours, int ioThreads) {
        this(perListenerSettings, persistenceFile, autosaveInterval, simulateWeather, historyTopics, historyHours,
                ioThreads, DEFAULT_HTTP_THREADS);
    }

    public ExtraSettings(boolean perListenerSettings, String persistenceFile, int autosaveInterval) {
        this(perListenerSettings, persistenceFile, autosaveInterval, false);
    }

    public ExtraSettings(boolean perListenerSettings, String persistenceFile, int autosaveInterval,
            boolean simulateWeather) {
        this(perListenerSettings, persistenceFile, autosaveInterval, simulateWeather, DEFAULT_HISTORY_TOPICS, 24, 0);
    }


    /** Mosquitto's defaults. */
    public static ExtraSettings defaults() {
        return new ExtraSettings(false, null, 1800, false);
    }
}
