package io.vane.bench.jmh;

import io.vane.broker.routing.RetainedStore;
import io.vane.broker.routing.SubscriptionTrie;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Matching one topic against 100,000 subscriptions: a realistic mix of exact filters (one per
 * station sensor), '+' filters and '#' tails, as a house full of P1 meters, boilers and stations
 * would have.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SubscriptionMatchBenchmark {
    private final SubscriptionTrie<Integer> trie = new SubscriptionTrie<>();
    private final RetainedStore<Integer> retained = new RetainedStore<>();
    private int i;

    @Setup
    public void fill() {
        Random r = new Random(1);
        for (int n = 0; n < 100_000; n++) {
            int station = r.nextInt(20_000);
            String filter = switch (n % 10) {
                case 0 -> "weather/station" + station + "/+";
                case 1 -> "home/+/sensor" + (n % 500) + "/temperature";
                case 2 -> "dsmr/meter" + station + "/#";
                default -> "weather/station" + station + "/sensor" + (n % 7);
            };
            trie.put(filter, "client" + n, n);
            retained.put("weather/station" + n + "/sensor" + (n % 7), n);
        }
        trie.put("weather/#", "dashboard", -1);
        trie.put("#", "logger", -2);
    }

    /** A topic that matches a handful of filters (exact, '+', '#'). */
    @Benchmark
    public void matchTypicalTopic(Blackhole bh) {
        trie.match("weather/station" + (i++ & 16383) + "/sensor3", bh::consume);
    }

    /** A topic nobody but the '#' subscribers wants. */
    @Benchmark
    public void matchUnsubscribedTopic(Blackhole bh) {
        trie.match("garage/door", bh::consume);
    }

    /** Subscribe and unsubscribe one client: the write path. */
    @Benchmark
    public void putAndRemove() {
        trie.put("weather/station42/sensor9", "bench", 1);
        trie.remove("weather/station42/sensor9", "bench");
    }

    /** A wildcard SUBSCRIBE looking up retained messages among 100,000 topics. */
    @Benchmark
    public void retainedWildcardLookup(Blackhole bh) {
        retained.match("weather/station" + (i++ & 16383) + "/+", (t, v) -> bh.consume(v));
    }
}
