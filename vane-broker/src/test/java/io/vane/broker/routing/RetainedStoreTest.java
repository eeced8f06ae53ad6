package io.vane.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The retained store searched by filter, checked against the brute-force matcher. */
class RetainedStoreTest {

    private static TreeSet<String> matches(RetainedStore<String> s, String filter) {
        TreeSet<String> out = new TreeSet<>();
        s.match(filter, (topic, v) -> out.add(topic));
        return out;
    }

    @Test
    void putGetReplaceRemove() {
        RetainedStore<String> s = new RetainedStore<>();
        assertThat(s.put("a/b", "1")).isNull();
        assertThat(s.put("a/b", "2")).isEqualTo("1");
        assertThat(s.get("a/b")).isEqualTo("2");
        assertThat(s.size()).isEqualTo(1);
        assertThat(s.remove("a/b", "1")).isFalse();
        assertThat(s.remove("a/b")).isEqualTo("2");
        assertThat(s.get("a/b")).isNull();
        assertThat(s.size()).isZero();
    }

    @Test
    void wildcardsAndDollarTopics() {
        RetainedStore<String> s = new RetainedStore<>();
        for (String t : List.of("sport", "sport/tennis", "sport/tennis/p1", "$SYS/uptime", "/x")) {
            s.put(t, t);
        }
        assertThat(matches(s, "sport/#")).containsExactly("sport", "sport/tennis", "sport/tennis/p1");
        assertThat(matches(s, "#")).containsExactly("/x", "sport", "sport/tennis", "sport/tennis/p1");
        assertThat(matches(s, "+/tennis")).containsExactly("sport/tennis");
        assertThat(matches(s, "$SYS/#")).containsExactly("$SYS/uptime");
        assertThat(matches(s, "+/+")).containsExactly("/x", "sport/tennis");
    }

    @Test
    void agreesWithTheBruteForceMatcher() {
        Random r = new Random(11);
        RetainedStore<String> s = new RetainedStore<>();
        List<String> topics = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            String t = SubscriptionTrieTest.randomTopic(r);
            topics.add(t);
            s.put(t, t);
        }
        for (int j = 0; j < 2000; j++) {
            String f = SubscriptionTrieTest.randomFilter(r);
            TreeSet<String> expected = new TreeSet<>();
            for (String t : topics) {
                if (TopicMatcher.matches(f, t)) {
                    expected.add(t);
                }
            }
            assertThat(matches(s, f)).as(f).isEqualTo(expected);
        }
    }

    @Test
    void agreesWithTheBruteForceMatcherOnDeepTopics() {
        Random r = new Random(23);
        RetainedStore<String> s = new RetainedStore<>();
        List<String> topics = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            String t = SubscriptionTrieTest.deepTopic(r, 1 + r.nextInt(300));
            topics.add(t);
            s.put(t, t);
        }
        for (int j = 0; j < 300; j++) {
            String f = SubscriptionTrieTest.deepFilterNear(r, topics.get(r.nextInt(topics.size())));
            TreeSet<String> expected = new TreeSet<>();
            for (String t : topics) {
                if (TopicMatcher.matches(f, t)) {
                    expected.add(t);
                }
            }
            assertThat(matches(s, f)).isEqualTo(expected);
        }
    }

    @Test
    void deepTopicsNeitherRecurseNorCostTheSquareOfTheirDepth() throws InterruptedException {
        String topic = "d/".repeat(99_999) + "d";
        SubscriptionTrieTest.onSmallStack(() -> {
            RetainedStore<String> s = new RetainedStore<>();
            s.put(topic, "v");
            s.put("d/d", "short");
            assertThat(matches(s, "#")).hasSize(2);
            assertThat(matches(s, "+/".repeat(99_999) + "+")).containsExactly(topic);
            assertThat(matches(s, "d/".repeat(99_999) + "#")).containsExactly(topic);
            assertThat(s.get(topic)).isEqualTo("v");
            List<String> all = new ArrayList<>();
            s.forEach((t, v) -> all.add(t));
            assertThat(all).hasSize(2);
            // The topic handed back is the caller's string, not a prefix built per level.
            s.match(topic, (t, v) -> assertThat(t).isSameAs(topic));
            assertThat(s.remove(topic)).isEqualTo("v");
            assertThat(matches(s, "#")).containsExactly("d/d");
        });
    }
}
