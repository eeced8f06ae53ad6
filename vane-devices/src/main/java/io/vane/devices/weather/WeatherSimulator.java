package io.vane.devices.weather;

import io.vane.broker.local.LocalClient;
import io.vane.devices.homeassistant.DiscoveryDevice;
import io.vane.devices.homeassistant.DiscoveryEntity;
import io.vane.devices.homeassistant.HomeAssistantDiscovery;
import io.vane.devices.source.DeviceSource;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated weather station that publishes what weewx-mqtt publishes, so a fresh Vane shows live
 * weather: aggregate loop packets on {@code weather/loop} every 2.5 s (retained) and an archive record
 * with {@code interval_minute} on {@code weather/archive} every 5 minutes (weewx-mqtt's aggregate mode
 * with {@code topic = weather} and {@code binding = loop,archive}). Values are strings with
 * unit-suffixed keys, US units ({@code usUnits} 1), as weewx-mqtt sends them.
 *
 * <p>The weather: a diurnal temperature curve, humidity that falls as it warms, gusty wind with a
 * drifting direction, slowly drifting pressure and the occasional shower. Deterministic for a given
 * seed and clock. Also publishes the retained {@link #MARKER_TOPIC} marker so pages can say the
 * data is simulated, and announces the station to Home Assistant through the shared discovery helper.
 */
public final class WeatherSimulator implements DeviceSource {
    private static final Logger LOG = LoggerFactory.getLogger("vane.devices");
    public static final String LOOP_TOPIC = "weather/loop";
    public static final String ARCHIVE_TOPIC = "weather/archive";
    /** Under $SYS/broker/ so that anonymous, read-only pages may see it. */
    public static final String MARKER_TOPIC = "$SYS/broker/vane/simulated_weather";

    private LocalClient client;
    private final Clock clock;
    private final Random random;
    private ScheduledExecutorService timer;

    // State that drifts from packet to packet.
    private double pressureInHg = 30.02;
    private double windDir = 225;
    private double gust;
    private double dayRainIn;
    private int showerPacketsLeft;
    private int lastDay = -1;

    public WeatherSimulator(Clock clock, long seed) {
        this.clock = clock;
        this.random = new Random(seed);
    }

    @Override
    public String name() {
        return "weather";
    }

    /** Starts publishing every 2.5 s through the client, on a daemon thread. */
    @Override
    public void start(LocalClient localClient) {
        this.client = localClient;
        publish(MARKER_TOPIC, "{\"simulated\":true,\"topics\":[\"" + LOOP_TOPIC + "\",\"" + ARCHIVE_TOPIC
                + "\"]}", 1);
        new HomeAssistantDiscovery(localClient, "vane_weather", new DiscoveryDevice(List.of("vane_weather_simulator"),
                "Weather station (simulated)", "Vane", "weewx-mqtt simulator"), null).announce(discoveryEntities());
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vane-weather-simulator");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::publishLoop, 0, 2500, TimeUnit.MILLISECONDS);
        timer.scheduleAtFixedRate(this::publishArchive, 5, 300, TimeUnit.SECONDS);
        LOG.info("Simulated weather station publishing to {} every 2.5 s and {} every 5 min (turn it off with"
                + " 'simulate_weather false').", LOOP_TOPIC, ARCHIVE_TOPIC);
    }

    /** What Home Assistant shows: the loop packet's fields, in the US units weewx-mqtt sends them in. */
    public static List<DiscoveryEntity> discoveryEntities() {
        return List.of(
                entity("outTemp_F", "Outside temperature", "°F", "temperature"),
                entity("outHumidity", "Outside humidity", "%", "humidity"),
                entity("barometer_inHg", "Barometer", "inHg", "atmospheric_pressure"),
                entity("windSpeed_mph", "Wind speed", "mph", "wind_speed"),
                entity("rainRate_inch_per_hour", "Rain rate", "in/h", "precipitation_intensity"),
                entity("radiation_Wpm2", "Solar radiation", "W/m²", "irradiance"));
    }

    private static DiscoveryEntity entity(String key, String name, String unit, String deviceClass) {
        return DiscoveryEntity.sensor(key, name, LOOP_TOPIC, unit, deviceClass, "measurement")
                .withValueTemplate("{{ value_json." + key + " }}");
    }

    private void publishLoop() {
        try {
            publish(LOOP_TOPIC, nextLoopPacket(), 0);
        } catch (RuntimeException e) {
            LOG.warn("Weather simulator: {}", e.toString());
        }
    }

    private void publishArchive() {
        try {
            String loop = nextLoopPacket();
            publish(ARCHIVE_TOPIC, loop.substring(0, loop.length() - 1) + ", \"interval_minute\": \"5.0\"}", 0);
        } catch (RuntimeException e) {
            LOG.warn("Weather simulator: {}", e.toString());
        }
    }

    private void publish(String topic, String payload, int qos) {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, true);
    }

    /** The next loop packet as weewx-mqtt would publish it. */
    public String nextLoopPacket() {
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(ZoneId.systemDefault()));
        double hour = now.getHour() + now.getMinute() / 60.0;
        if (now.getDayOfYear() != lastDay) {
            lastDay = now.getDayOfYear();
            dayRainIn = 0;
        }
        // Coolest near 05:00, warmest near 15:00.
        double tempF = 58 + 11 * Math.sin((hour - 9) / 24 * 2 * Math.PI) + random.nextGaussian() * 0.15;
        double humidity = clamp(72 - 1.6 * (tempF - 58) + random.nextGaussian(), 20, 100);
        double dewpointF = dewpointF(tempF, humidity);
        pressureInHg = clamp(pressureInHg + random.nextGaussian() * 0.002, 29.2, 30.8);
        windDir = (windDir + random.nextGaussian() * 8 + 360) % 360;
        double windMph = Math.max(0, 6 + 3 * Math.sin(hour / 24 * 2 * Math.PI) + random.nextGaussian() * 1.5);
        gust = Math.max(windMph, gust * 0.8 + (random.nextDouble() < 0.2 ? windMph + random.nextDouble() * 10 : 0));
        double rainIn = 0;
        if (showerPacketsLeft == 0 && random.nextDouble() < 0.0005) {
            showerPacketsLeft = 120 + random.nextInt(600);
        }
        if (showerPacketsLeft > 0) {
            showerPacketsLeft--;
            rainIn = random.nextDouble() < 0.5 ? 0.01 : 0;
            dayRainIn += rainIn;
        }
        double rainRate = showerPacketsLeft > 0 ? 0.2 + random.nextDouble() * 0.3 : 0;
        double sun = Math.max(0, Math.sin((hour - 6) / 12 * Math.PI));
        double radiation = showerPacketsLeft > 0 ? sun * 150 : sun * 850;
        long epoch = clock.millis() / 1000;
        return "{" + kv("dateTime", Long.toString(epoch)) + ", " + kv("usUnits", "1")
                + ", " + kv("outTemp_F", f(tempF, 1)) + ", " + kv("outHumidity", f(humidity, 0))
                + ", " + kv("dewpoint_F", f(dewpointF, 1)) + ", " + kv("heatindex_F", f(tempF, 1))
                + ", " + kv("windchill_F", f(windMph > 3 && tempF < 50 ? tempF - windMph * 0.3 : tempF, 1))
                + ", " + kv("appTemp_F", f(tempF - windMph * 0.1 + (humidity - 50) * 0.02, 1))
                + ", " + kv("barometer_inHg", f(pressureInHg, 3)) + ", " + kv("pressure_inHg", f(pressureInHg - 0.12, 3))
                + ", " + kv("windSpeed_mph", f(windMph, 1)) + ", " + kv("windGust_mph", f(gust, 1))
                + ", " + kv("windDir", f(windDir, 0)) + ", " + kv("windGustDir", f(windDir, 0))
                + ", " + kv("rain_in", f(rainIn, 2)) + ", " + kv("rainRate_inch_per_hour", f(rainRate, 2))
                + ", " + kv("dayRain_in", f(dayRainIn, 2)) + ", " + kv("radiation_Wpm2", f(radiation, 0))
                + ", " + kv("UV", f(radiation / 110, 1)) + ", " + kv("inTemp_F", f(69 + random.nextGaussian() * 0.1, 1))
                + "}";
    }

    /** Magnus formula over Fahrenheit in and out. */
    static double dewpointF(double tempF, double humidity) {
        double c = (tempF - 32) * 5 / 9;
        double gamma = Math.log(humidity / 100) + 17.62 * c / (243.12 + c);
        double dewC = 243.12 * gamma / (17.62 - gamma);
        return dewC * 9 / 5 + 32;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static String f(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String kv(String key, String value) {
        return "\"" + key + "\": \"" + value + "\"";
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
