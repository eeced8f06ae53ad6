package io.vane.app.config;

/**
 * Which device sources run inside Vane.
 *
 * @param simulateWeather simulate_weather: publish a simulated weather station's weewx-mqtt topics
 */
public record DeviceSettings(boolean simulateWeather) {
    /** Nothing simulated: what a config file gets unless it asks. */
    public static final DeviceSettings NONE = new DeviceSettings(false);
}
