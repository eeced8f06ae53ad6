package io.vane.app.config;

import io.vane.devices.line.LineEndpoint;
import java.util.List;

/**
 * Which device sources run inside Vane.
 *
 * @param simulateWeather simulate_weather: publish a simulated weather station's weewx-mqtt topics
 * @param simulateP1 simulate_p1: publish a simulated DSMR 5 smart meter (only when no dsmr_source is given)
 * @param meters the dsmr_source lines, in file order
 * @param dsmrTopicPrefix dsmr_topic_prefix: where meters publish ({@code dsmr}); with more than one meter,
 *     each under {@code PREFIX/NAME}
 * @param dsmrRefreshSeconds dsmr_refresh_interval: 0 publishes every value of every telegram; otherwise
 *     one-value topics are change-only, refreshed this often
 */
public record DeviceSettings(boolean simulateWeather, boolean simulateP1, List<Meter> meters, String dsmrTopicPrefix,
        int dsmrRefreshSeconds) {

    /** The default dsmr_topic_prefix, DSMR-reader's. */
    public static final String DEFAULT_DSMR_PREFIX = "dsmr";

    /** Nothing simulated: what a config file gets unless it asks. */
    public static final DeviceSettings NONE = new DeviceSettings(false);

    /** One {@code dsmr_source NAME ENDPOINT} line. */
    public record Meter(String name, LineEndpoint endpoint) {
    }

    public DeviceSettings {
        meters = List.copyOf(meters);
    }

    /** Only the weather simulator on or off, no meters. */
    public DeviceSettings(boolean simulateWeather) {
        this(simulateWeather, false, List.of(), DEFAULT_DSMR_PREFIX, 0);
    }

    /** The topic prefix of {@code meter}: the prefix itself for a single meter, {@code PREFIX/NAME} otherwise. */
    public String prefixOf(Meter meter) {
        return meters.size() == 1 ? dsmrTopicPrefix : dsmrTopicPrefix + "/" + meter.name();
    }
}
