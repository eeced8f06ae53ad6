package io.vane.dashboard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Points folded into the buckets of the downsampled tiers: per tier, bucket start and field, the count,
 * sum, minimum and maximum. A batch of points becomes one of these, which the history file merges into
 * the rows it already has (so a bucket spread over several batches, or over a restart, averages right).
 * Not thread-safe: owned by the history writer thread.
 */
final class Buckets {
    /** The aggregate of one field in one bucket. */
    static final class Agg {
        long n;
        double sum;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;

        void add(double v) {
            n++;
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }

        double mean() {
            return sum / n;
        }
    }

    /** Where an aggregate belongs. */
    record Key(String topic, long step, long start, String field) {
    }

    private final List<HistoryTier> tiers;
    private final Map<Key, Agg> aggs = new LinkedHashMap<>();

    Buckets(List<HistoryTier> tiers) {
        this.tiers = tiers;
    }

    /** Adds one packet's fields at {@code millis} to its bucket in every tier. */
    void add(String topic, long millis, Map<String, Double> values) {
        for (HistoryTier tier : tiers) {
            long start = tier.bucket(millis);
            values.forEach((field, v) -> {
                if (Double.isFinite(v)) {
                    aggs.computeIfAbsent(new Key(topic, tier.stepMillis(), start, field), k -> new Agg()).add(v);
                }
            });
        }
    }

    Map<Key, Agg> aggregates() {
        return aggs;
    }

    boolean isEmpty() {
        return aggs.isEmpty();
    }
}
