package io.vane.dashboard;

import java.util.List;

/**
 * One downsampled series kept on disk: every numeric field averaged (with its minimum and maximum) over
 * buckets of {@code stepMillis}, each bucket kept for {@code keepMillis}. Buckets start at multiples of
 * the step since the epoch, so a 1-day bucket is a UTC day.
 *
 * @param name what the page and the log call it
 * @param stepMillis the bucket width
 * @param keepMillis how long a bucket is kept after it starts; older rows are deleted
 */
public record HistoryTier(String name, long stepMillis, long keepMillis) {
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    /** history_days when not written: 13 months and a bit, so "year" always has a full year. */
    public static final int DEFAULT_DAYS = 400;

    /**
     * The tiers for {@code historyDays} (history_days): 5-minute buckets for 8 days (the week range),
     * 1-hour buckets for 35 days (the month range), 1-day buckets for {@code historyDays} (the year range).
     * No tier keeps longer than {@code historyDays}.
     */
    public static List<HistoryTier> forDays(int historyDays) {
        long keep = historyDays * DAY;
        return List.of(new HistoryTier("5-minute", 5 * MINUTE, Math.min(8 * DAY, keep)),
                new HistoryTier("1-hour", HOUR, Math.min(35 * DAY, keep)),
                new HistoryTier("1-day", DAY, keep));
    }

    /** The start of the bucket holding {@code millis}. */
    long bucket(long millis) {
        return Math.floorDiv(millis, stepMillis) * stepMillis;
    }
}
