package io.vane.bench.jmh;

import io.vane.broker.Message;
import io.vane.dashboard.HistoryStore;
import io.vane.dashboard.JsonNumbers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The answer to {@code /api/history} for a full topic: 2,000 points of 60 fields (120,000 numbers, about
 * 950 KB of JSON), the size issue 11 measured at 0.7-1.0 s per request. {@code numbersFormat} is what the
 * encoder did per number before (String.format and a regular expression), {@code numbersJson} what it
 * does now; {@code historyAfterPacket} is the whole answer after a new packet (the cache emptied),
 * {@code historyCached} a request between two packets.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HistoryEncodingBenchmark {
    static final int POINTS = 2_000;
    static final int FIELDS = 60;

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private HistoryStore store;
    private double[][] values;
    private Message next;

    @Setup
    public void setUp() {
        Random r = new Random(11);
        values = new double[POINTS][FIELDS];
        store = new HistoryStore(List.of("bench/history"), now::get, 24 * 3_600_000L);
        String last = "{}";
        for (int p = 0; p < POINTS; p++) {
            StringBuilder json = new StringBuilder("{\"dateTime\":\"").append(p).append('"');
            for (int f = 0; f < FIELDS; f++) {
                double v = 10 + f + r.nextDouble() * 100;
                String text = String.format(Locale.ROOT, "%.4f", v);
                values[p][f] = Double.parseDouble(text);
                json.append(",\"field_").append(f).append("\":").append(text);
            }
            last = json.append('}').toString();
            store.accept(message(last));
            now.addAndGet(1000);
        }
        next = message(last); // a packet like the others: the answer keeps its size
    }

    private static Message message(String json) {
        return Message.of("bench/history", json.getBytes(StandardCharsets.UTF_8), 0, false);
    }

    @Benchmark
    public int numbersFormat() {
        StringBuilder sb = new StringBuilder(POINTS * FIELDS * 9);
        for (double[] point : values) {
            for (double v : point) {
                sb.append(String.format(Locale.ROOT, "%.6g", v).replaceFirst("\\.?0+(e|$)", "$1")).append(',');
            }
        }
        return sb.length();
    }

    @Benchmark
    public int numbersJson() {
        StringBuilder sb = new StringBuilder(POINTS * FIELDS * 9);
        for (double[] point : values) {
            for (double v : point) {
                JsonNumbers.append(sb, v);
                sb.append(',');
            }
        }
        return sb.length();
    }

    @Benchmark
    public int historyAfterPacket() {
        now.addAndGet(1000);
        store.accept(next);
        return store.historyUtf8("bench/history", 0).length;
    }

    @Benchmark
    public int historyCached() {
        return store.historyUtf8("bench/history", 0).length;
    }
}
