package io.vane.bench.load;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The numbers of one run, in the order they were taken; printed as a summary and one RESULT line. */
final class LoadResult {
    private final Map<String, String> values = new LinkedHashMap<>();

    LoadResult(String scenario, String broker) {
        values.put("scenario", scenario);
        values.put("broker", broker);
    }

    void put(String key, double value) {
        if (value < 0 && !key.startsWith("delta")) {
            return; // not measured
        }
        values.put(key, value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.3f", value));
    }

    String get(String key) {
        return values.get(key);
    }

    void print(PrintStream out) {
        StringBuilder line = new StringBuilder("RESULT");
        for (Map.Entry<String, String> e : values.entrySet()) {
            out.printf(Locale.ROOT, "  %-18s %s%n", e.getKey(), e.getValue());
            line.append(' ').append(e.getKey()).append('=').append(e.getValue());
        }
        out.println(line);
        out.flush();
    }
}
