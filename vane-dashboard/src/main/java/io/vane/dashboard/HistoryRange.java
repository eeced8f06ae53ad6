package io.vane.dashboard;

import java.util.Locale;

/**
 * The ranges the page's charts offer ({@code /api/history?range=...}), and which series answers each:
 * the day from the recent points in memory, the others from a downsampled tier on disk.
 */
public enum HistoryRange {
    /** The recent window (history_hours, 24 h by default): raw points, then 1-minute averages. */
    DAY(-1, 0),
    /** The last 7 days in 5-minute buckets: 2,016 points. */
    WEEK(0, 7 * HistoryTier.DAY),
    /** The last 31 days in 1-hour buckets: 744 points. */
    MONTH(1, 31 * HistoryTier.DAY),
    /** The last 366 days in 1-day buckets. */
    YEAR(2, 366 * HistoryTier.DAY);

    /** The accepted names, for the error message of a bad value. */
    public static final String NAMES = "day, week, month or year";

    /** Index into {@link HistoryTier#forDays}, or -1 for the in-memory window. */
    final int tier;
    final long spanMillis;

    HistoryRange(int tier, long spanMillis) {
        this.tier = tier;
        this.spanMillis = spanMillis;
    }

    /** The name used in the API and the page. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The range named {@code id} (as the API writes it), or null when there is none of that name. */
    public static HistoryRange parse(String id) {
        for (HistoryRange r : values()) {
            if (r.id().equals(id)) {
                return r;
            }
        }
        return null;
    }
}
