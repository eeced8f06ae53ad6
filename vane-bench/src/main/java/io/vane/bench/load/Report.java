package io.vane.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the RESULT lines of several rounds into one Markdown table: per scenario and metric, the
 * median over rounds for each broker and their ratio.
 *
 * <pre>
 * java -cp benchmarks.jar io.vane.bench.load.Report results.txt [vane mosquitto]
 * </pre>
 */
public final class Report {
    /** Metrics shown, in this order, with how to read them. */
    private static final Map<String, String> METRICS = new LinkedHashMap<>();

    static {
        METRICS.put("msgs_per_s", "delivered msgs/s (higher is better)");
        METRICS.put("cpu_us_per_msg", "broker CPU µs per delivered msg (lower)");
        METRICS.put("disk_bytes_per_msg", "broker bytes written to disk per delivered msg");
        METRICS.put("p50_us", "latency p50 µs");
        METRICS.put("p99_us", "latency p99 µs");
        METRICS.put("max_us", "latency max µs");
        METRICS.put("loss_pct", "loss % (counted subscribers)");
        METRICS.put("lost_acked", "acknowledged but not delivered");
        METRICS.put("connects_per_s", "connects/s (higher is better)");
        METRICS.put("cpu_us_per_conn", "broker CPU µs per connect (lower)");
        METRICS.put("rss_mb", "broker RSS MB with all connected");
        METRICS.put("rss_per_conn_kb", "RSS KB per connection");
        METRICS.put("heap_per_conn_kb", "heap KB per connection");
        METRICS.put("rss_start_mb", "broker RSS MB at start of window");
        METRICS.put("rss_end_mb", "broker RSS MB at end of window");
        METRICS.put("rss_peak_mb", "broker peak RSS MB");
        METRICS.put("heap_mb", "heap after GC MB");
        METRICS.put("load1", "machine load (1 min) at end");
    }

    private Report() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: Report RESULTS_FILE [BROKER_A BROKER_B]");
            System.exit(2);
        }
        String a = args.length > 2 ? args[1] : "vane";
        String b = args.length > 2 ? args[2] : "mosquitto";
        System.out.print(table(Files.readAllLines(Path.of(args[0])), a, b));
    }

    /** The table for the RESULT lines among {@code lines}, comparing broker {@code a} to {@code b}. */
    static String table(List<String> lines, String a, String b) {
        // scenario -> broker -> metric -> values over rounds
        Map<String, Map<String, Map<String, List<Double>>>> data = new LinkedHashMap<>();
        for (String line : lines) {
            if (!line.startsWith("RESULT ")) {
                continue;
            }
            Map<String, String> kv = new LinkedHashMap<>();
            for (String pair : line.substring(7).trim().split(" ")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    kv.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
            Map<String, List<Double>> metrics = data.computeIfAbsent(kv.get("scenario"), k -> new LinkedHashMap<>())
                    .computeIfAbsent(kv.get("broker"), k -> new LinkedHashMap<>());
            kv.forEach((k, v) -> {
                try {
                    metrics.computeIfAbsent(k, x -> new ArrayList<>()).add(Double.parseDouble(v));
                } catch (NumberFormatException e) {
                    // a label
                }
            });
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "| scenario | metric (median of rounds) | %s | %s | %s/%s |%n", a, b, a, b));
        out.append("| --- | --- | ---: | ---: | ---: |\n");
        data.forEach((scenario, byBroker) -> {
            Map<String, List<Double>> ma = byBroker.getOrDefault(a, Map.of());
            Map<String, List<Double>> mb = byBroker.getOrDefault(b, Map.of());
            int rounds = Math.max(count(ma), count(mb));
            boolean first = true;
            for (Map.Entry<String, String> m : METRICS.entrySet()) {
                Double va = median(ma.get(m.getKey()));
                Double vb = median(mb.get(m.getKey()));
                if (va == null && vb == null) {
                    continue;
                }
                String ratio = va != null && vb != null && vb != 0 ? String.format(Locale.ROOT, "%.2f", va / vb) : "";
                out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n",
                        first ? scenario + " (" + rounds + " rounds)" : "", m.getValue(), format(va), format(vb), ratio));
                first = false;
            }
        });
        return out.toString();
    }

    private static int count(Map<String, List<Double>> m) {
        List<Double> any = m.get("load1");
        return any == null ? 0 : any.size();
    }

    static Double median(List<Double> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String format(Double v) {
        if (v == null) {
            return "-";
        }
        double abs = Math.abs(v);
        if (abs >= 10_000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (abs >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, abs >= 10 ? "%.1f" : "%.2f", v);
    }
}
