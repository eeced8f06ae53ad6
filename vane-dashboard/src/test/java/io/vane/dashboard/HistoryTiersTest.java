package io.vane.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vane.broker.Message;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downsampling into the tiers, retention by the clock, and the file across a restart. */
class HistoryTiersTest {
    private static final long MIN = HistoryTier.MINUTE;
    private static final long DAY = HistoryTier.DAY;
    /** A UTC midnight, so bucket edges are easy to see. */
    private static final long T0 = 1_700_006_400_000L;

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(T0);

    private static Message msg(String payload) {
        return Message.of("t", payload.getBytes(StandardCharsets.UTF_8), 0, false);
    }

    @Test
    void tiersFollowHistoryDays() {
        assertThat(HistoryTier.forDays(400)).extracting(HistoryTier::stepMillis)
                .containsExactly(5 * MIN, 60 * MIN, DAY);
        assertThat(HistoryTier.forDays(400)).extracting(HistoryTier::keepMillis)
                .containsExactly(8 * DAY, 35 * DAY, 400 * DAY);
        assertThat(HistoryTier.forDays(3)).extracting(HistoryTier::keepMillis).containsExactly(3 * DAY, 3 * DAY, 3 * DAY);
        assertThat(HistoryRange.parse("week")).isEqualTo(HistoryRange.WEEK);
        assertThat(HistoryRange.parse("Week")).isNull();
        assertThat(HistoryRange.parse("decade")).isNull();
    }

    @Test
    void bucketsAverageAndKeepTheExtremes() {
        Buckets b = new Buckets(HistoryTier.forDays(400));
        b.add("t", T0 + 10_000, Map.of("v", 1.0));
        b.add("t", T0 + 4 * MIN, Map.of("v", 5.0, "w", 2.0));
        b.add("t", T0 + 5 * MIN, Map.of("v", 9.0)); // the next 5-minute bucket, the same hour and day
        Buckets.Agg first = b.aggregates().get(new Buckets.Key("t", 5 * MIN, T0, "v"));
        assertThat(first.n).isEqualTo(2);
        assertThat(first.mean()).isEqualTo(3.0);
        assertThat(first.min).isEqualTo(1.0);
        assertThat(first.max).isEqualTo(5.0);
        assertThat(b.aggregates().get(new Buckets.Key("t", 5 * MIN, T0 + 5 * MIN, "v")).n).isEqualTo(1);
        Buckets.Agg hour = b.aggregates().get(new Buckets.Key("t", 60 * MIN, T0, "v"));
        assertThat(hour.n).isEqualTo(3);
        assertThat(hour.mean()).isEqualTo(5.0);
        assertThat(hour.max).isEqualTo(9.0);
        assertThat(b.aggregates().get(new Buckets.Key("t", DAY, T0, "w")).n).isEqualTo(1);
    }

    private HistoryStore store(long keepMillis) throws Exception {
        HistoryStore h = new HistoryStore(List.of("t"), now::get, keepMillis,
                HistoryFile.open(dir.resolve(HistoryFile.FILE)), 400, 10);
        h.startWriter();
        return h;
    }

    private static String json(HistoryStore h, HistoryRange r) {
        return new String(h.historyUtf8("t", 0, r), StandardCharsets.UTF_8);
    }

    @Test
    void aBucketSpreadOverBatchesAndARestartAveragesRight() throws Exception {
        try (HistoryStore h = store(24 * 3_600_000L)) {
            h.accept(msg("{\"v\": 2}"));
        }
        now.addAndGet(MIN);
        try (HistoryStore h = store(24 * 3_600_000L)) {
            h.load();
            h.accept(msg("{\"v\": 4}"));
        }
        try (HistoryFile f = HistoryFile.open(dir.resolve(HistoryFile.FILE))) {
            TierSeries five = f.tier("t", 5 * MIN, 0);
            assertThat(five.size()).isEqualTo(1);
            assertThat(five.mean("v", 0)).isCloseTo(3.0, within(1e-9));
            assertThat(f.raw("t", 0)).extracting(HistoryPoint::millis).containsExactly(T0, T0 + MIN);
        }
    }

    @Test
    void retentionDeletesOldRowsByTheClock() throws Exception {
        // One packet a day for 50 days, then one every 5 minutes for 10 days.
        try (HistoryStore h = store(24 * 3_600_000L)) {
            for (int d = 0; d < 50; d++) {
                h.accept(msg("{\"v\": " + d + "}"));
                now.addAndGet(DAY);
            }
            for (int i = 0; i < 10 * 288; i++) {
                h.accept(msg("{\"v\": 1}"));
                now.addAndGet(5 * MIN);
            }
        }
        long end = now.get();
        try (HistoryFile f = HistoryFile.open(dir.resolve(HistoryFile.FILE))) {
            assertThat(f.raw("t", 0)).as("raw: the last 24 h only").hasSizeBetween(288, 289)
                    .allMatch(p -> p.millis() >= end - DAY);
            assertThat(f.tier("t", 5 * MIN, 0).size()).as("5-minute: 8 days").isBetween(8 * 288, 8 * 288 + 1);
            assertThat(f.tier("t", 60 * MIN, 0).size()).as("1-hour: 35 days").isBetween(10 * 24 + 25, 10 * 24 + 26);
            assertThat(f.tier("t", DAY, 0).size()).as("1-day: all 60 days").isBetween(60, 61);
        }
        // Much later: the year tier lets go too.
        now.addAndGet(390 * DAY);
        try (HistoryStore h = store(24 * 3_600_000L)) {
            h.accept(msg("{\"v\": 7}"));
        }
        try (HistoryFile f = HistoryFile.open(dir.resolve(HistoryFile.FILE))) {
            TierSeries days = f.tier("t", DAY, 0);
            assertThat(days.size()).as("days older than 400 are gone").isBetween(1, 21);
            assertThat(f.tier("t", 5 * MIN, 0).size()).isEqualTo(1);
        }
    }

    @Test
    void rangesAnswerFromTheirTierAndTheDayComesBackAfterARestart() throws Exception {
        try (HistoryStore h = store(24 * 3_600_000L)) {
            h.accept(msg("{\"v\": 10}"));       // 20 days ago: month and year
            now.addAndGet(17 * DAY);
            h.accept(msg("{\"v\": 20}"));       // 3 days ago: week, month and year
            now.addAndGet(3 * DAY - 3_600_000L);
            h.accept(msg("{\"v\": 30}"));       // an hour ago: everything
            now.addAndGet(3_600_000L);
        }
        try (HistoryStore h = store(24 * 3_600_000L)) {
            assertThat(h.load()).as("the day's raw points").isEqualTo(1);
            assertThat(json(h, HistoryRange.DAY)).startsWith("{\"topic\":\"t\",\"range\":\"day\",\"step\":0,")
                    .contains("\"v\":[30]");
            assertThat(json(h, HistoryRange.WEEK)).startsWith("{\"topic\":\"t\",\"range\":\"week\",\"step\":300,")
                    .contains("\"series\":{\"v\":[20,30]}").contains("\"min\":{\"v\":[20,30]}");
            assertThat(json(h, HistoryRange.MONTH)).contains("\"step\":3600,").contains("\"series\":{\"v\":[10,20,30]}");
            assertThat(json(h, HistoryRange.YEAR)).contains("\"step\":86400,").contains("\"series\":{\"v\":[10,20,30]}");
            // Cached until the next commit: the same bytes.
            assertThat(h.historyUtf8("t", 0, HistoryRange.WEEK)).isSameAs(h.historyUtf8("t", 0, HistoryRange.WEEK));
            assertThat(h.historyUtf8("other", 0, HistoryRange.WEEK)).isNull();
        }
    }

    @Test
    void withoutAFileEveryRangeIsTheDayAndSaysSo() {
        try (HistoryStore h = new HistoryStore(List.of("t"), now::get, 24 * 3_600_000L)) {
            h.accept(msg("{\"v\": 1}"));
            assertThat(json(h, HistoryRange.YEAR)).startsWith("{\"topic\":\"t\",\"range\":\"day\",").contains("\"v\":[1]");
            assertThat(h.historyJson("t", 0)).doesNotContain("range");
        }
    }

    @Test
    void anUnreadableFileIsMovedAsideAndAnEmptyOneStarts() throws Exception {
        Path file = dir.resolve(HistoryFile.FILE);
        Files.write(file, "this is not a database, just some bytes that are long enough to matter".repeat(100)
                .getBytes(StandardCharsets.UTF_8));
        try (HistoryFile f = HistoryFile.open(file)) {
            assertThat(f.raw("t", 0)).isEmpty();
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith(HistoryFile.FILE + ".damaged-"));
        }
    }
}
