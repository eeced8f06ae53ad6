package io.vane.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The trie against the spec's examples (section 4.7) and against the brute-force matcher. */
class SubscriptionTrieTest {

    private static List<String> matches(SubscriptionTrie<String> trie, String topic) {
        List<String> out = new ArrayList<>();
        trie.match(topic, out::add);
        out.sort(null);
        return out;
    }

    private static SubscriptionTrie<String> trieOf(String... filters) {
        SubscriptionTrie<String> t = new SubscriptionTrie<>();
        for (String f : filters) {
            t.put(f, "c", f);
        }
        return t;
    }

    @Test
    void multiLevelWildcardExamples() {
        // 4.7.1.2: "sport/tennis/player1/#" matches these three.
        SubscriptionTrie<String> t = trieOf("sport/tennis/player1/#");
        assertThat(matches(t, "sport/tennis/player1")).hasSize(1);
        assertThat(matches(t, "sport/tennis/player1/ranking")).hasSize(1);
        assertThat(matches(t, "sport/tennis/player1/score/wimbledon")).hasSize(1);
        assertThat(matches(trieOf("sport/#"), "sport")).hasSize(1);
        assertThat(matches(trieOf("#"), "a/b/c")).hasSize(1);
    }

    @Test
    void singleLevelWildcardExamples() {
        // 4.7.1.3
        SubscriptionTrie<String> t = trieOf("sport/tennis/+");
        assertThat(matches(t, "sport/tennis/player1")).hasSize(1);
        assertThat(matches(t, "sport/tennis/player1/ranking")).isEmpty();
        assertThat(matches(trieOf("sport/+"), "sport")).isEmpty();
        assertThat(matches(trieOf("sport/+"), "sport/")).hasSize(1);
        assertThat(matches(trieOf("+/+"), "/finance")).hasSize(1);
        assertThat(matches(trieOf("/+"), "/finance")).hasSize(1);
        assertThat(matches(trieOf("+"), "/finance")).isEmpty();
    }

    @Test
    void MQTT_4_7_2_1_leadingWildcardsDoNotMatchDollarTopics() {
        assertThat(matches(trieOf("#"), "$SYS/broker/uptime")).isEmpty();
        assertThat(matches(trieOf("+/monitor/Clients"), "$SYS/monitor/Clients")).isEmpty();
        assertThat(matches(trieOf("$SYS/#"), "$SYS/monitor/Clients")).hasSize(1);
        assertThat(matches(trieOf("$SYS/monitor/+"), "$SYS/monitor/Clients")).hasSize(1);
    }

    @Test
    void putReplacesRemovePrunesAndSizeCounts() {
        SubscriptionTrie<String> t = new SubscriptionTrie<>();
        assertThat(t.put("a/b", "c1", "x")).isNull();
        assertThat(t.put("a/b", "c1", "y")).isEqualTo("x");
        assertThat(t.put("a/b", "c2", "z")).isNull();
        assertThat(t.size()).isEqualTo(2);
        assertThat(matches(t, "a/b")).containsExactly("y", "z");
        assertThat(t.remove("a/b", "c1")).isEqualTo("y");
        assertThat(t.remove("a/b", "c1")).isNull();
        assertThat(t.remove("a/b", "c2")).isEqualTo("z");
        assertThat(t.size()).isZero();
        assertThat(matches(t, "a/b")).isEmpty();
        t.put("a/b", "c1", "again");
        assertThat(matches(t, "a/b")).containsExactly("again");
    }

    static String randomFilter(Random r) {
        int levels = 1 + r.nextInt(4);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < levels; i++) {
            if (i > 0) {
                sb.append('/');
            }
            int k = r.nextInt(10);
            if (k == 0 && i == levels - 1) {
                sb.append('#');
            } else if (k <= 2) {
                sb.append('+');
            } else {
                sb.append(randomLevel(r, i == 0));
            }
        }
        return sb.toString();
    }

    static String randomTopic(Random r) {
        int levels = 1 + r.nextInt(4);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < levels; i++) {
            if (i > 0) {
                sb.append('/');
            }
            sb.append(randomLevel(r, i == 0));
        }
        return sb.toString();
    }

    private static String randomLevel(Random r, boolean first) {
        String[] levels = {"", "a", "b", "c", "ab"};
        if (first && r.nextInt(8) == 0) {
            return "$SYS";
        }
        return levels[r.nextInt(levels.length)];
    }

    @Test
    void agreesWithTheBruteForceMatcher() {
        Random r = new Random(7);
        List<String> filters = new ArrayList<>();
        SubscriptionTrie<String> t = new SubscriptionTrie<>();
        for (int i = 0; i < 2000; i++) {
            String f = randomFilter(r);
            filters.add(f);
            t.put(f, "k" + i, i + ":" + f);
        }
        for (int j = 0; j < 2000; j++) {
            String topic = randomTopic(r);
            TreeSet<String> expected = new TreeSet<>();
            for (int i = 0; i < filters.size(); i++) {
                if (TopicMatcher.matches(filters.get(i), topic)) {
                    expected.add(i + ":" + filters.get(i));
                }
            }
            assertThat(new TreeSet<>(matches(t, topic))).as(topic).isEqualTo(expected);
        }
    }

    @Test
    void concurrentWritersAndReaders() throws Exception {
        SubscriptionTrie<String> t = new SubscriptionTrie<>();
        t.put("stable/+", "s", "stable");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(4);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int id = w;
            threads.add(new Thread(() -> {
                try {
                    Random r = new Random(id);
                    for (int i = 0; i < 20_000; i++) {
                        String f = randomFilter(r);
                        t.put(f, "w" + id, f);
                        t.remove(f, "w" + id);
                    }
                } catch (Throwable e) {
                    failure.set(e);
                } finally {
                    done.countDown();
                }
            }));
        }
        for (int m = 0; m < 2; m++) {
            threads.add(new Thread(() -> {
                try {
                    for (int i = 0; i < 20_000; i++) {
                        List<String> seen = new ArrayList<>();
                        t.match("stable/x", seen::add);
                        if (!seen.contains("stable")) {
                            throw new AssertionError("lost the stable subscription");
                        }
                    }
                } catch (Throwable e) {
                    failure.set(e);
                } finally {
                    done.countDown();
                }
            }));
        }
        threads.forEach(Thread::start);
        done.await();
        assertThat(failure.get()).isNull();
        assertThat(t.size()).isEqualTo(1);
    }

    /** A topic of {@code levels} levels from a two-letter alphabet, so deep topics share long prefixes. */
    static String deepTopic(Random r, int levels) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < levels; i++) {
            if (i > 0) {
                sb.append('/');
            }
            sb.append(r.nextInt(4) == 0 ? "b" : "a");
        }
        return sb.toString();
    }

    /** A filter that may or may not match {@code topic}: some levels made '+', changed, or cut off by '#'. */
    static String deepFilterNear(Random r, String topic) {
        String[] levels = topic.split("/", -1);
        StringBuilder sb = new StringBuilder();
        int cut = r.nextInt(3) == 0 ? r.nextInt(levels.length + 1) : -1;
        for (int i = 0; i < levels.length; i++) {
            if (i > 0) {
                sb.append('/');
            }
            if (i == cut) {
                return sb.append('#').toString();
            }
            int k = r.nextInt(50);
            sb.append(k == 0 ? "+" : k == 1 ? "b" : levels[i]);
        }
        if (r.nextInt(5) == 0) {
            sb.append(r.nextBoolean() ? "/#" : "/a");
        }
        return sb.toString();
    }

    @Test
    void agreesWithTheBruteForceMatcherOnDeepTopics() {
        Random r = new Random(17);
        List<String> filters = new ArrayList<>();
        List<String> topics = new ArrayList<>();
        SubscriptionTrie<String> t = new SubscriptionTrie<>();
        for (int i = 0; i < 150; i++) {
            String topic = deepTopic(r, 1 + r.nextInt(300));
            topics.add(topic);
            String f = deepFilterNear(r, topic);
            filters.add(f);
            t.put(f, "k" + i, i + ":" + f);
        }
        for (String topic : topics) {
            for (String probe : List.of(topic, topic + "/a", topic.substring(0, Math.max(1, topic.length() - 2)))) {
                TreeSet<String> expected = new TreeSet<>();
                for (int i = 0; i < filters.size(); i++) {
                    if (TopicMatcher.matches(filters.get(i), probe)) {
                        expected.add(i + ":" + filters.get(i));
                    }
                }
                assertThat(new TreeSet<>(matches(t, probe))).isEqualTo(expected);
            }
        }
    }

    /** Runs {@code body} on a thread with a 256 KiB stack: recursion per level would overflow it. */
    static void onSmallStack(Runnable body) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread th = new Thread(null, () -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "small-stack", 256 * 1024);
        th.start();
        th.join();
        assertThat(failure.get()).isNull();
    }

    @Test
    void matchingNeverRecursesPerLevel() throws InterruptedException {
        // 100,000 levels: far past what a 256 KiB stack could hold one frame per level for.
        String topic = "d/".repeat(99_999) + "d";
        onSmallStack(() -> {
            SubscriptionTrie<String> t = new SubscriptionTrie<>();
            t.put(topic, "exact", "exact");
            t.put("+/".repeat(99_999) + "+", "plus", "plus");
            t.put("d/".repeat(50_000) + "#", "hash", "hash");
            assertThat(matches(t, topic)).containsExactly("exact", "hash", "plus");
            assertThat(t.remove(topic, "exact")).isEqualTo("exact");
            assertThat(matches(t, topic)).containsExactly("hash", "plus");
        });
    }
}
