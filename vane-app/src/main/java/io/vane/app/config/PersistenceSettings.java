package io.vane.app.config;

/**
 * Mosquitto's persistence options that BrokerSettings has no field for (persistence and
 * persistence_location are there), recorded so a user's file carries over.
 *
 * @param file persistence_file, or null for Mosquitto's default {@code mosquitto.db}
 * @param autosaveInterval autosave_interval in seconds (Mosquitto's default 1800)
 */
public record PersistenceSettings(String file, int autosaveInterval) {
    public static final PersistenceSettings DEFAULTS = new PersistenceSettings(null, 1800);
}
