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
 * The recent history of a few topics, kept in the broker process so a freshly opened page draws full
 * charts at once: every numeric field of the topic's JSON packets, at full resolution for the last hour
 * and as one averaged point per minute before that, for {@code keepMillis} (24 h by default).
 * Memory is bounded: at most {@link #RAW_POINTS} raw points and one point per minute per topic.
 *
 * <p>Answers are cached as encoded bytes: each topic counts its updates, and an answer is kept for the
 * points it holds until the next packet of the topic arrives, so any number of page loads between two
 * packets (2.5 s for the weather station) cost one encoding (decision 0009).
 *
 * <p>Thread-safe: packets arrive on the history's local client thread, requests on HTTP workers; each
 * topic's history is guarded by its own lock.
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

    public HistoryStore(List<String> topicNames, LongSupplier clock, long keepMillis) {
        this.clock = clock;
        this.keepMillis = keepMillis;
        for (String t : topicNames) {
            topics.put(t, new TopicHistory());
        }
    }

    /**
     * Starts recording: subscribes the topics through an in-process client of the broker's own, so
     * packets are parsed on that client's thread, never inside a publisher's routing.
     */
    public void start(LocalClient client) {
        for (String t : topics.keySet()) {
            client.subscribe(t, 0, this::accept);
            subscriptions.add(() -> client.unsubscribe(t));
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
            h.add(clock.getAsLong(), values, keepMillis);
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
        return h == null ? null : h.json(topic, sinceMillis, clock.getAsLong(), keepMillis);
    }

    @Override
    public void close() {
        subscriptions.forEach(Runnable::run);
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
        synchronized byte[] json(String topic, long since, long now, long keepMillis) {
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
            byte[] hit = run ? cache.get(first) : null;
            if (hit != null) {
                return hit;
            }
            byte[] json = encode(topic, points).getBytes(StandardCharsets.UTF_8);
            if (run) {
                cache.put(first, json);
            }
            return json;
        }

        private String encode(String topic, List<double[]> points) {
            StringBuilder sb = new StringBuilder(64 + points.size() * 8 * (1 + fields.size()));
            sb.append("{\"topic\":\"").append(topic.replace("\"", "")).append("\",\"times\":[");
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
