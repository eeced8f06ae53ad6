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
 * @param boilers the OpenTherm gateways (opentherm_source and its options, simulate_opentherm)
 */
public record DeviceSettings(boolean simulateWeather, boolean simulateP1, List<Meter> meters, String dsmrTopicPrefix,
        int dsmrRefreshSeconds, Boilers boilers) {

    /** The default dsmr_topic_prefix, DSMR-reader's. */
    public static final String DEFAULT_DSMR_PREFIX = "dsmr";

    /** Nothing simulated: what a config file gets unless it asks. */
    public static final DeviceSettings NONE = new DeviceSettings(false);

    /** One {@code dsmr_source NAME ENDPOINT} line. */
    public record Meter(String name, LineEndpoint endpoint) {
    }

    /** One {@code opentherm_source NAME ENDPOINT} line. */
    public record Gateway(String name, LineEndpoint endpoint) {
    }

    /**
     * The OpenTherm gateways.
     *
     * @param simulate simulate_opentherm: a simulated gateway (only when no opentherm_source is given)
     * @param gateways the opentherm_source lines, in file order
     * @param topicPrefix opentherm_topic_prefix ({@code opentherm}); with more than one gateway each under PREFIX/NAME
     * @param refreshSeconds opentherm_refresh: unchanged values are published again this often (0: never)
     */
    public record Boilers(boolean simulate, List<Gateway> gateways, String topicPrefix, int refreshSeconds) {
        public static final String DEFAULT_PREFIX = "opentherm";
        public static final int DEFAULT_REFRESH = 300;
        public static final Boilers NONE = new Boilers(false, List.of(), DEFAULT_PREFIX, DEFAULT_REFRESH);

        public Boilers {
            gateways = List.copyOf(gateways);
        }

        /** The prefix of {@code g}: the prefix itself for a single gateway, {@code PREFIX/NAME} otherwise. */
        public String prefixOf(Gateway g) {
            return gateways.size() == 1 ? topicPrefix : topicPrefix + "/" + g.name();
        }
    }

    public DeviceSettings {
        meters = List.copyOf(meters);
    }

    public DeviceSettings(boolean simulateWeather, boolean simulateP1, List<Meter> meters, String dsmrTopicPrefix,
            int dsmrRefreshSeconds) {
        this(simulateWeather, simulateP1, meters, dsmrTopicPrefix, dsmrRefreshSeconds, Boilers.NONE);
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
