package io.vane.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.broker.Message;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-topic history: what it keeps, how it downsamples, and its JSON. */
class HistoryStoreTest {
    private static Message msg(String topic, String payload) {
        return Message.of(topic, payload.getBytes(StandardCharsets.UTF_8), 0, false);
    }

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);

    @Test
    void keepsNumericFieldsOfPacketsAndAnswersSinceATime() {
        try (HistoryStore h = new HistoryStore(List.of("weather/loop"), now::get, 24 * HistoryStore.HOUR)) {
            h.accept(msg("weather/loop", "{\"dateTime\": \"1\", \"outTemp_F\": \"68.5\", \"windDir\": null}"));
            now.addAndGet(2500);
            h.accept(msg("weather/loop", "{\"outTemp_F\": \"69.0\", \"barometer_inHg\": 29.92}"));
            h.accept(msg("weather/archive", "{\"outTemp_F\": \"1\"}"));
            String json = h.historyJson("weather/loop", 0);
            assertThat(json).isEqualTo("{\"topic\":\"weather/loop\",\"times\":[1700000000,1700000002],"
                    + "\"series\":{\"outTemp_F\":[68.5,69],\"barometer_inHg\":[null,29.92]}}");
            assertThat(h.historyJson("weather/loop", now.get())).contains("\"times\":[1700000002]");
            assertThat(h.historyJson("other", 0)).isNull();
        }
    }

    @Test
    void olderThanAnHourBecomesOnePointPerMinuteAndOlderThanTheWindowIsDropped() {
        try (HistoryStore h = new HistoryStore(List.of("t"), now::get, 3 * HistoryStore.HOUR)) {
            // One packet every 2.5 s for 4 hours: 5,760 packets.
            for (int i = 0; i < 5760; i++) {
                h.accept(msg("t", "{\"v\": \"" + i + "\"}"));
                now.addAndGet(2500);
            }
            String json = h.historyJson("t", 0);
            int points = json.substring(json.indexOf("[") + 1, json.indexOf("]")).split(",").length;
            // 2 hours of minutes (120) + one hour raw (1,440) give or take the edges.
            assertThat(points).isBetween(1500, 1700);
        }
    }

    @Test
    void malformedPayloadsAreIgnored() {
        try (HistoryStore h = new HistoryStore(List.of("t"), now::get, HistoryStore.HOUR)) {
            h.accept(msg("t", "{not json"));
            h.accept(msg("t", ""));
            assertThat(h.historyJson("t", 0)).isEqualTo("{\"topic\":\"t\",\"times\":[],\"series\":{}}");
        }
    }

    @Test
    void answersAreCachedUntilTheNextPacket() {
        try (HistoryStore h = new HistoryStore(List.of("t"), now::get, HistoryStore.HOUR)) {
            h.accept(msg("t", "{\"v\": 1}"));
            now.addAndGet(1000);
            h.accept(msg("t", "{\"v\": 2}"));
            byte[] first = h.historyUtf8("t", 0);
            now.addAndGet(5);
            assertThat(h.historyUtf8("t", 0)).as("same packets: the same bytes").isSameAs(first);
            assertThat(h.historyUtf8("t", 1)).as("another since, the same points").isSameAs(first);
            byte[] last = h.historyUtf8("t", now.get() - 5);
            assertThat(new String(last, StandardCharsets.UTF_8)).contains("\"v\":[2]");
            h.accept(msg("t", "{\"v\": 3}"));
            byte[] after = h.historyUtf8("t", 0);
            assertThat(after).isNotSameAs(first);
            assertThat(new String(after, StandardCharsets.UTF_8)).contains("\"v\":[1,2,3]");
            // Points that age out of the window change the answer without a packet.
            now.addAndGet(HistoryStore.HOUR - 500);
            assertThat(new String(h.historyUtf8("t", 0), StandardCharsets.UTF_8)).contains("\"v\":[2,3]");
        }
    }
}
