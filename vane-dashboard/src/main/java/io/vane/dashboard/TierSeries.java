package io.vane.dashboard;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A downsampled answer: bucket starts, and per field the mean, minimum and maximum of each bucket
 * (NaN, written as null, where a field had no value in a bucket). Built from rows in time order.
 */
final class TierSeries {
    private final List<Long> times = new ArrayList<>();
    /** Field -> [mean, min, max] columns, shorter than {@link #times} where the last buckets lack the field. */
    private final Map<String, List<double[]>> fields = new LinkedHashMap<>();

    /** Adds one field of the bucket starting at {@code start}; rows come in time order. */
    void add(long start, String field, double mean, double min, double max) {
        if (times.isEmpty() || times.get(times.size() - 1) != start) {
            times.add(start);
        }
        List<double[]> col = fields.computeIfAbsent(field, f -> new ArrayList<>());
        while (col.size() < times.size() - 1) {
            col.add(null);
        }
        col.add(new double[] {mean, min, max});
    }

    int size() {
        return times.size();
    }

    /** The mean of {@code field} in bucket {@code i}, NaN when it has none. For tests. */
    double mean(String field, int i) {
        List<double[]> col = fields.get(field);
        return col == null || i >= col.size() || col.get(i) == null ? Double.NaN : col.get(i)[0];
    }

    /**
     * {@code {"topic":..,"range":..,"step":seconds,"times":[..],"series":{f:[mean..]},"min":{..},"max":{..}}}:
     * the day answer's shape (times and series, read by the page as before) plus the bucket width and
     * the extremes.
     */
    byte[] encode(String topic, String range, long stepMillis) {
        StringBuilder sb = new StringBuilder(128 + times.size() * 10 * (1 + 3 * fields.size()));
        sb.append("{\"topic\":\"").append(topic.replace("\"", "")).append("\",\"range\":\"").append(range)
                .append("\",\"step\":").append(stepMillis / 1000).append(",\"times\":[");
        for (int i = 0; i < times.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(times.get(i) / 1000);
        }
        sb.append(']');
        String[] names = {"series", "min", "max"};
        for (int which = 0; which < 3; which++) {
            sb.append(",\"").append(names[which]).append("\":{");
            boolean first = true;
            for (Map.Entry<String, List<double[]>> f : fields.entrySet()) {
                sb.append(first ? "" : ",").append('"').append(f.getKey()).append("\":[");
                first = false;
                List<double[]> col = f.getValue();
                for (int i = 0; i < times.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    double[] v = i < col.size() ? col.get(i) : null;
                    JsonNumbers.append(sb, v == null ? Double.NaN : v[which]);
                }
                sb.append(']');
            }
            sb.append('}');
        }
        return sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }
}
