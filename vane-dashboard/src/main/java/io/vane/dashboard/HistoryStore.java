package io.vane.dashboard;

import io.vane.broker.local.LocalClient;
import io.vane.broker.Message;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The history of a few topics, kept in the broker process so a freshly opened page draws full charts at
 * once: every numeric field of the topic's JSON packets, at full resolution for the last hour and as one
 * averaged point per minute before that, for {@code keepMillis} (24 h by default): the day range.
 * Memory is bounded: at most {@link #RAW_POINTS} raw points and one point per minute per topic.
 *
 * <p>With a {@link HistoryFile} (persistence true, decision 0012) every point is also handed to a
 * {@link HistoryWriter}, which keeps the raw points of the same window and the downsampled tiers
 * ({@link HistoryTier}) on disk; at {@link #start} the recent window is read back, so charts are full
 * after a restart, and the week, month and year ranges are answered from the file. Those are never held
 * in the heap beyond one cached answer per range.
 *
 * <p>Answers are cached as encoded bytes: each topic counts its updates, and an answer is kept for the
 * points it holds until the next packet of the topic arrives, so any number of page loads between two
 * packets (2.5 s for the weather station) cost one encoding (decision 0009). A downsampled answer is
 * kept until the writer commits the topic's next batch or its first bucket ages out.
 *
 * <p>Thread-safe: packets arrive on the history's local client thread, requests on HTTP workers, commits
 * are reported by the writer thread; each topic's history is guarded by its own locks.
 */
public final class HistoryStore implements AutoCloseable {
    static final long HOUR = 3_600_000L;
    static final long MINUTE = 60_000L;
    static final int RAW_POINTS = 2_000;
    /** Answers kept per topic between two packets: the page's range and a few others. */
    static final int CACHED_RANGES = 4;
    /** A flat JSON member whose value is a number or a string holding one, as weewx-mqtt sends. */
    private static final Pattern MEMBER = Pattern.compile(
            "\"([A-Za-z0-9_]{1,64})\"\\s*:\\s*\"?(-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?)\"?\\s*[,}]");

    private final Map<String, TopicHistory> topics = new HashMap<>();
    private final List<Runnable> subscriptions = new ArrayList<>();
    private final LongSupplier clock;
    private final long keepMillis;
    private final HistoryFile file;
    private final List<HistoryTier> tiers;
    private final HistoryWriter writer;

    /** A history in memory only (persistence false): the day range, lost at restart. */
    public HistoryStore(List<String> topicNames, LongSupplier clock, long keepMillis) {
        this(topicNames, clock, keepMillis, null, HistoryTier.DEFAULT_DAYS, 0);
    }

    /**
     * A history that is also kept in {@code file} (which this store then owns and closes), with the
     * downsampled tiers of {@link HistoryTier#forDays}{@code (historyDays)}, written in batches every
     * {@code writeIntervalMillis}.
     */
    public HistoryStore(List<String> topicNames, LongSupplier clock, long keepMillis, HistoryFile file,
            int historyDays, long writeIntervalMillis) {
        this.clock = clock;
        this.keepMillis = keepMillis;
        this.file = file;
        this.tiers = HistoryTier.forDays(historyDays);
        for (String t : topicNames) {
            topics.put(t, new TopicHistory());
        }
        this.writer = file == null ? null : new HistoryWriter(file, tiers, keepMillis, List.copyOf(topicNames), clock,
                writeIntervalMillis, committed -> committed.forEach(t -> {
                    TopicHistory h = topics.get(t);
                    if (h != null) {
                        h.committed();
                    }
                }));
    }

    /**
     * Reads the recent window back from the file (nothing without one): the day chart is full at once
     * after a restart. Call before {@link #start}. Returns the number of points read.
     */
    public int load() {
        if (file == null) {
            return 0;
        }
        int n = 0;
        long since = clock.getAsLong() - keepMillis;
        for (Map.Entry<String, TopicHistory> e : topics.entrySet()) {
            try {
                for (HistoryPoint p : file.raw(e.getKey(), since)) {
                    e.getValue().add(p.millis(), p.values(), keepMillis);
                    n++;
                }
            } catch (java.sql.SQLException ex) {
                org.slf4j.LoggerFactory.getLogger("vane.history").warn("Reading the history of {} from {}: {}",
                        e.getKey(), file.path(), ex.getMessage());
            }
        }
        return n;
    }

    /**
     * Starts recording: subscribes the topics through an in-process client of the broker's own, so
     * packets are parsed on that client's thread, never inside a publisher's routing.
     */
    public void start(LocalClient client) {
        startWriter();
        for (String t : topics.keySet()) {
            client.subscribe(t, 0, this::accept);
            subscriptions.add(() -> client.unsubscribe(t));
        }
    }

    /** Starts the writer thread (with a file); {@link #start} does, tests that feed {@link #accept} call it. */
    void startWriter() {
        if (writer != null) {
            writer.start();
        }
    }

    /** Records one packet of a kept topic; others are ignored. Public for benchmarks. */
    public void accept(Message m) {
        TopicHistory h = topics.get(m.topic());
        if (h != null) {
            record(h, m);
        }
    }

    public boolean keeps(String topic) {
        return topics.containsKey(topic);
    }

    private void record(TopicHistory h, Message m) {
        String text = new String(m.payload(), StandardCharsets.UTF_8);
        if (text.contains("\"interval_minute\"")) {
            return; // archive records are summaries, not samples
        }
        Map<String, Double> values = new HashMap<>();
        Matcher matcher = MEMBER.matcher(text);
        while (matcher.find()) {
            String key = matcher.group(1);
            if (!key.equals("dateTime") && !key.equals("usUnits")) {
                values.put(key, Double.parseDouble(matcher.group(2)));
            }
        }
        if (!values.isEmpty()) {
            long now = clock.getAsLong();
            h.add(now, values, keepMillis);
            if (writer != null) {
                writer.offer(new HistoryPoint(m.topic(), now, values));
            }
        }
    }

    /**
     * The topic's history since {@code sinceMillis} as JSON for uPlot:
     * {@code {"topic":..,"times":[epoch seconds],"series":{"outTemp_F":[..]}}}, null for unknown topics.
     */
    public String historyJson(String topic, long sinceMillis) {
        byte[] json = historyUtf8(topic, sinceMillis);
        return json == null ? null : new String(json, StandardCharsets.UTF_8);
    }

    /**
     * {@link #historyJson} as UTF-8 bytes, from the cache when the topic had no packet since the same
     * points were asked for. The array is shared: callers only read it.
     */
    public byte[] historyUtf8(String topic, long sinceMillis) {
        TopicHistory h = topics.get(topic);
        return h == null ? null : h.json(topic, sinceMillis, clock.getAsLong(), keepMillis, null);
    }

    /**
     * The topic's history over {@code range} as UTF-8 JSON, null for topics not kept. The day is the
     * in-memory window, written like {@link #historyJson} plus {@code "range":"day"}; the other ranges
     * come from the file's tier ({@link TierSeries#encode}). Without a file every range is answered
     * with the day, and says so with {@code "range":"day"}.
     */
    public byte[] historyUtf8(String topic, long sinceMillis, HistoryRange range) {
        TopicHistory h = topics.get(topic);
        if (h == null) {
            return null;
        }
        if (range == null) {
            return historyUtf8(topic, sinceMillis);
        }
        long now = clock.getAsLong();
        if (range == HistoryRange.DAY || file == null) {
            return h.json(topic, 0, now, keepMillis, HistoryRange.DAY.id());
        }
        HistoryTier tier = tiers.get(range.tier);
        long from = tier.bucket(now - Math.min(range.spanMillis, tier.keepMillis()));
        return h.tierJson(range, from, () -> {
            try {
                return file.tier(topic, tier.stepMillis(), from).encode(topic, range.id(), tier.stepMillis());
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("reading " + file.path() + ": " + e.getMessage(), e);
            }
        });
    }

    /** Points not written to the file because its writer's queue was full. */
    public long droppedWrites() {
        return writer == null ? 0 : writer.dropped();
    }

    /** Stops recording, writes what is queued to the file and closes it. */
    @Override
    public void close() {
        subscriptions.forEach(Runnable::run);
        subscriptions.clear();
        if (writer != null) {
            writer.close();
            file.close();
        }
    }

    /** One topic's points: raw for the last hour, per-minute averages before that. */
    static final class TopicHistory {
        private final List<String> fields = new ArrayList<>();
        private final java.util.ArrayDeque<double[]> raw = new java.util.ArrayDeque<>();
        private final java.util.ArrayDeque<double[]> minutes = new java.util.ArrayDeque<>();
        private long rawTimes;
        /** Counts packets: an answer made at one version holds for as long as it lasts. */
        private long version;
        private long cachedVersion = -1;
        /** Encoded answers of the current version by the index of their first point; a few ranges only. */
        private final Map<Integer, byte[]> cache = new java.util.LinkedHashMap<>(8, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, byte[]> eldest) {
                return size() > CACHED_RANGES;
            }
        };

        /** Counts the writer's commits of this topic: a downsampled answer lasts until the next one. */
        private long committedVersion;
        /** Downsampled answers by range: [commit version, first bucket] and the bytes. */
        private final Map<HistoryRange, Object[]> tierCache = new java.util.EnumMap<>(HistoryRange.class);

        void committed() {
            synchronized (tierCache) {
                committedVersion++;
            }
        }

        /**
         * The cached downsampled answer for {@code range} starting at bucket {@code from}, or a new one
         * from {@code read}. Under its own lock, not the topic's: reading the file must not hold up packets.
         * Requests of one range wait for one reading and share its bytes.
         */
        byte[] tierJson(HistoryRange range, long from, java.util.function.Supplier<byte[]> read) {
            synchronized (tierCache) {
                Object[] hit = tierCache.get(range);
                if (hit != null && (long) hit[0] == committedVersion && (long) hit[1] == from) {
                    return (byte[]) hit[2];
                }
                long version = committedVersion;
                byte[] json = read.get();
                tierCache.put(range, new Object[] {version, from, json});
                return json;
            }
        }

        synchronized void add(long now, Map<String, Double> values, long keepMillis) {
            for (String f : values.keySet()) {
                if (!fields.contains(f) && fields.size() < 64) {
                    fields.add(f);
                }
            }
            double[] p = new double[1 + 64];
            java.util.Arrays.fill(p, Double.NaN);
            p[0] = now;
            values.forEach((k, v) -> {
                int i = fields.indexOf(k);
                if (i >= 0) {
                    p[1 + i] = v;
                }
            });
            raw.addLast(p);
            rawTimes++;
            version++;
            // Points older than an hour (or beyond the raw budget) fold into per-minute averages.
            while (!raw.isEmpty() && (raw.size() > RAW_POINTS || now - raw.peekFirst()[0] > HOUR)) {
                fold(raw.pollFirst());
            }
            while (!minutes.isEmpty() && now - minutes.peekFirst()[0] > keepMillis) {
                minutes.pollFirst();
            }
        }

        /** Adds a point to the average of its minute: [time, sum..., count...] kept as a running mean. */
        private void fold(double[] p) {
            long minute = (long) p[0] / MINUTE * MINUTE;
            double[] last = minutes.peekLast();
            if (last == null || (long) last[0] != minute) {
                double[] m = p.clone();
                m[0] = minute;
                minutes.addLast(m);
                return;
            }
            for (int i = 1; i < p.length; i++) {
                if (!Double.isNaN(p[i])) {
                    last[i] = Double.isNaN(last[i]) ? p[i] : (last[i] + p[i]) / 2;
                }
            }
        }

        /**
         * The answer for the points at or after {@code max(since, now - keepMillis)}. Points are kept in
         * time order (minutes, then raw), so the answer is a run of points to the end and is named by
         * its first one: requests with different {@code since} that pick the same points share it.
         * Encoding happens under the lock; it is cheap enough (about 20 ms for 2,000 x 60) for a packet to
         * wait that long on the history's own client thread.
         */
        synchronized byte[] json(String topic, long since, long now, long keepMillis, String range) {
            long from = Math.max(since, now - keepMillis);
            List<double[]> points = new ArrayList<>(minutes.size() + raw.size());
            int index = 0;
            int first = -1;
            boolean run = true;
            for (java.util.ArrayDeque<double[]> part : List.of(minutes, raw)) {
                for (double[] p : part) {
                    if (p[0] >= from) {
                        if (first < 0) {
                            first = index;
                        }
                        points.add(p);
                    } else if (first >= 0) {
                        run = false; // the clock went back: not a run, not cached
                    }
                    index++;
                }
            }
            if (first < 0) {
                first = index;
            }
            if (cachedVersion != version) {
                cache.clear();
                cachedVersion = version;
            }
            int key = range == null ? first : ~first; // the same points with or without "range"
            byte[] hit = run ? cache.get(key) : null;
            if (hit != null) {
                return hit;
            }
            byte[] json = encode(topic, points, range).getBytes(StandardCharsets.UTF_8);
            if (run) {
                cache.put(key, json);
            }
            return json;
        }

        private String encode(String topic, List<double[]> points, String range) {
            StringBuilder sb = new StringBuilder(64 + points.size() * 8 * (1 + fields.size()));
            sb.append("{\"topic\":\"").append(topic.replace("\"", "")).append('"');
            if (range != null) {
                sb.append(",\"range\":\"").append(range).append("\",\"step\":0");
            }
            sb.append(",\"times\":[");
            for (int i = 0; i < points.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append((long) points.get(i)[0] / 1000);
            }
            sb.append("],\"series\":{");
            for (int f = 0; f < fields.size(); f++) {
                sb.append(f == 0 ? "" : ",").append('"').append(fields.get(f)).append("\":[");
                for (int i = 0; i < points.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    JsonNumbers.append(sb, points.get(i)[1 + f]);
                }
                sb.append(']');
            }
            return sb.append("}}").toString();
        }
    }
}
