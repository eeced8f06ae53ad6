package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.vane.app.Vane;
import io.vane.app.config.ConfigParser;
import io.vane.app.config.VaneConfig;
import io.vane.testkit.Poll;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard history with {@code persistence true} across a restart (decision 0012): weather/loop
 * packets published over MQTT at times set by the history's clock (a year, weeks, days and an hour
 * back) are in vane-history.db after Vane stops, and a new Vane answers each range of
 * {@code /api/history} from them: the day from the raw points read back, week, month and year from
 * their tiers, each without the points older than the range.
 */
class HistoryRestartTest {
    private static final long DAY = 86_400_000L;
    /** A fixed "now" at 12:00 UTC, so no bucket edge falls near the points. */
    private static final long NOW = 1_780_000_000_000L / DAY * DAY + DAY / 2;

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private VaneConfig config(int mqtt, int ws) throws Exception {
        Path conf = dir.resolve("vane.conf");
        Files.writeString(conf, "listener " + mqtt + " 127.0.0.1\nlistener " + ws + " 127.0.0.1\nprotocol websockets\n"
                + "allow_anonymous true\npersistence true\npersistence_location " + dir.resolve("data") + "\n"
                + "history_topics weather/loop\n");
        return new ConfigParser().withWorkingDirectory(dir).read(conf);
    }

    private HttpResponse<String> get(int ws, String query) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ws + "/api/history?" + query))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String range(int ws, String range) throws Exception {
        HttpResponse<String> r = get(ws, "topic=weather/loop&range=" + range);
        assertThat(r.statusCode()).as(range).isEqualTo(200);
        return r.body();
    }

    @Test
    void everyRangeStillHasItsPointsAfterARestart() throws Exception {
        int mqtt = VaneProcess.freePort();
        int ws = VaneProcess.freePort();
        long[] ages = {300 * DAY, 20 * DAY, 3 * DAY, 3_600_000L};
        try (Vane vane = Vane.start(config(mqtt, ws), clock::get)) {
            Mqtt5BlockingClient station = Mqtt5Client.builder().identifier("station").serverHost("127.0.0.1")
                    .serverPort(mqtt).buildBlocking();
            station.connect();
            for (int i = 0; i < ages.length; i++) {
                clock.set(NOW - ages[i]);
                String value = String.valueOf(i + 1);
                station.publishWith().topic("weather/loop").qos(MqttQos.AT_LEAST_ONCE)
                        .payload(("{\"dateTime\": \"1\", \"outTemp_F\": \"" + value + "\", \"outHumidity\": \"5" + i + "\"}")
                                .getBytes(StandardCharsets.UTF_8)).send();
                // Recorded at this clock before the clock moves on: the day range shows it at once.
                assertThat(Poll.until(Duration.ofSeconds(10), () -> {
                    try {
                        return range(ws, "day").contains("\"outTemp_F\":[" + value + "]");
                    } catch (Exception e) {
                        return false;
                    }
                })).as("packet %d recorded", i + 1).isTrue();
            }
            station.disconnect();
            clock.set(NOW);
        }
        assertThat(dir.resolve("data/vane-history.db")).exists();
        assertThat(dir.resolve("data/vane-store.db")).as("the message store is another file").exists();

        clock.set(NOW);
        try (Vane vane = Vane.start(config(mqtt, ws), clock::get)) {
            assertThat(range(ws, "day")).startsWith("{\"topic\":\"weather/loop\",\"range\":\"day\",\"step\":0,")
                    .contains("\"times\":[" + (NOW - ages[3]) / 1000 + "]").contains("\"outTemp_F\":[4]");
            assertThat(range(ws, "week")).contains("\"range\":\"week\",\"step\":300,")
                    .contains("\"series\":{").contains("\"outTemp_F\":[3,4]").contains("\"outHumidity\":[52,53]");
            assertThat(range(ws, "month")).contains("\"step\":3600,").contains("\"outTemp_F\":[2,3,4]");
            String year = range(ws, "year");
            assertThat(year).contains("\"step\":86400,").contains("\"outTemp_F\":[1,2,3,4]")
                    .contains("\"min\":{").contains("\"max\":{");
            assertThat(year).contains("\"times\":[" + (NOW - ages[0]) / DAY * DAY / 1000 + ",");
            // The page's request before ranges still works as it did.
            assertThat(get(ws, "topic=weather/loop&since=0").body()).startsWith("{\"topic\":\"weather/loop\",\"times\":[");

            HttpResponse<String> bad = get(ws, "topic=weather/loop&range=decade");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("range must be one of day, week, month, year");
            assertThat(get(ws, "topic=dsmr/reading&range=week").statusCode()).as("not kept").isEqualTo(404);
        }
    }
}
