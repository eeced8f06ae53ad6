package io.vane.devices.weather;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.broker.Broker;
import io.vane.broker.local.LocalClient;
import io.vane.broker.local.LocalClientOptions;
import io.vane.broker.Message;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The simulator's packets look like weewx-mqtt's and its weather is plausible. */
class WeatherSimulatorTest {

    private static double field(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": \"([-0-9.]+)\"").matcher(json);
        assertThat(m.find()).as(key + " in " + json).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void packetsCarryWeewxMqttFieldsAsStrings() {
        WeatherSimulator sim = new WeatherSimulator(
                Clock.fixed(Instant.parse("2026-06-21T15:00:00Z"), ZoneOffset.UTC), 1);
        String p = sim.nextLoopPacket();
        for (String key : List.of("dateTime", "usUnits", "outTemp_F", "outHumidity", "dewpoint_F", "barometer_inHg",
                "windSpeed_mph", "windGust_mph", "windDir", "rain_in", "rainRate_inch_per_hour", "dayRain_in",
                "radiation_Wpm2", "UV")) {
            field(p, key);
        }
        assertThat(field(p, "usUnits")).isEqualTo(1);
        assertThat(field(p, "dateTime")).isEqualTo(Instant.parse("2026-06-21T15:00:00Z").getEpochSecond());
        assertThat(p).doesNotContain("interval_minute");
    }

    @Test
    void afternoonsAreWarmerThanNightsAndDewPointStaysBelowTemperature() {
        Clock night = Clock.fixed(Instant.parse("2026-06-21T04:00:00Z"), ZoneOffset.UTC);
        Clock afternoon = Clock.fixed(Instant.parse("2026-06-21T15:00:00Z"), ZoneOffset.UTC);
        TimeZoneGuard.utc(() -> {
            String n = new WeatherSimulator(night, 2).nextLoopPacket();
            String a = new WeatherSimulator(afternoon, 2).nextLoopPacket();
            assertThat(field(a, "outTemp_F")).isGreaterThan(field(n, "outTemp_F") + 10);
            assertThat(field(a, "dewpoint_F")).isLessThanOrEqualTo(field(a, "outTemp_F"));
            assertThat(field(a, "outHumidity")).isBetween(20.0, 100.0);
        });
    }

    @Test
    void dewPointFormulaMatchesAKnownValue() {
        // 68 °F at 50 % relative humidity has a dew point of about 48.7 °F.
        assertThat(WeatherSimulator.dewpointF(68, 50)).isBetween(48.4, 49.0);
    }

    @Test
    void publishesRetainedLoopPacketsAndAMarker() throws Exception {
        try (Broker broker = Broker.withDefaults()) {
            List<Message> got = new ArrayList<>();
            for (String filter : List.of("#", "$SYS/broker/vane/#")) {
                broker.subscribe(filter, m -> {
                    synchronized (got) {
                        got.add(m);
                    }
                });
            }
            LocalClient client = broker.connectLocal(LocalClientOptions.internal("weather"))
                    .toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
            try (WeatherSimulator sim = new WeatherSimulator(Clock.systemUTC(), 3)) {
                sim.start(client);
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (System.nanoTime() < deadline) {
                    synchronized (got) {
                        if (got.stream().anyMatch(m -> m.topic().equals(WeatherSimulator.LOOP_TOPIC))) {
                            break;
                        }
                    }
                    Thread.onSpinWait();
                }
            }
            synchronized (got) {
                assertThat(got).anyMatch(m -> m.topic().equals(WeatherSimulator.MARKER_TOPIC) && m.retain());
                Message loop = got.stream().filter(m -> m.topic().equals(WeatherSimulator.LOOP_TOPIC)).findFirst()
                        .orElseThrow();
                assertThat(loop.retain()).isTrue();
                assertThat(new String(loop.payload(), StandardCharsets.UTF_8)).startsWith("{\"dateTime\"");
            }
        }
    }

    /** Runs a check with the default time zone set to UTC, since the curve follows local time. */
    static final class TimeZoneGuard {
        static void utc(Runnable check) {
            java.util.TimeZone old = java.util.TimeZone.getDefault();
            java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("UTC"));
            try {
                check.run();
            } finally {
                java.util.TimeZone.setDefault(old);
            }
        }
    }
}
