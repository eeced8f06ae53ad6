package io.vane.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.broker.Message;
import io.vane.protocol.Properties;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The retained budget: count and bytes, replacement and clearing always possible, broker messages exempt. */
class RetainedMessagesTest {
    private final AtomicLong now = new AtomicLong(1_000);

    private static Message fromClient(String topic, int size) {
        return new Message(topic, new byte[size], 0, true, Properties.NONE, Message.NEVER, "client");
    }

    private List<String> all(RetainedMessages r) {
        List<String> out = new ArrayList<>();
        r.match("#", (t, m) -> out.add(t));
        out.sort(null);
        return out;
    }

    @Test
    void countBudgetRefusesNewTopicsButNotReplacementsOrClears() {
        RetainedMessages r = new RetainedMessages(now::get, 2, 0);
        assertThat(r.retain(fromClient("a", 10))).isTrue();
        assertThat(r.retain(fromClient("b", 10))).isTrue();
        assertThat(r.retain(fromClient("c", 10))).isFalse();
        assertThat(r.refusedCount()).isEqualTo(1);
        assertThat(all(r)).containsExactly("a", "b");
        assertThat(r.retain(fromClient("a", 20))).isTrue(); // replacing works when full
        assertThat(r.retain(fromClient("b", 0))).isTrue(); // clearing works
        assertThat(r.retain(fromClient("c", 10))).isTrue(); // and frees a place
        assertThat(all(r)).containsExactly("a", "c");
    }

    @Test
    void byteBudgetCountsTopicPayloadAndOverheadAndFreesOnReplaceClearAndExpiry() {
        long one = RetainedMessages.cost(fromClient("t1", 1000));
        RetainedMessages r = new RetainedMessages(now::get, 0, 3 * one);
        assertThat(r.retain(fromClient("t1", 1000))).isTrue();
        assertThat(r.retain(fromClient("t2", 1000))).isTrue();
        assertThat(r.retain(fromClient("t3", 1000))).isTrue();
        assertThat(r.bytes()).isEqualTo(3 * one);
        assertThat(r.retain(fromClient("t4", 1))).isFalse();
        // A replacement of the same size fits once the old one is freed.
        assertThat(r.retain(fromClient("t1", 1000))).isTrue();
        assertThat(r.bytes()).isEqualTo(3 * one);
        // A larger replacement that does not fit clears the stale value rather than keep it.
        assertThat(r.retain(fromClient("t2", 5000))).isFalse();
        assertThat(all(r)).containsExactly("t1", "t3");
        assertThat(r.bytes()).isEqualTo(2 * one);
        r.retain(fromClient("t3", 0));
        assertThat(r.bytes()).isEqualTo(one);
        Message expiring = new Message("t5", new byte[1000], 0, true, Properties.NONE, 2_000, "client");
        assertThat(r.retain(expiring)).isTrue();
        now.set(3_000);
        assertThat(all(r)).containsExactly("t1");
        assertThat(r.bytes()).isEqualTo(one);
        assertThat(r.refusedCount()).isEqualTo(2);
    }

    @Test
    void brokerMessagesAreCountedButNeverRefused() {
        RetainedMessages r = new RetainedMessages(now::get, 1, 0);
        assertThat(r.retain(fromClient("a", 1))).isTrue();
        assertThat(r.retain(Message.of("$SYS/broker/uptime", new byte[5], 0, true))).isTrue();
        assertThat(r.count()).isEqualTo(2);
        assertThat(r.retain(fromClient("b", 1))).isFalse();
    }

    @Test
    void noBudgetMeansNoLimit() {
        RetainedMessages r = new RetainedMessages(now::get);
        for (int i = 0; i < 10_000; i++) {
            assertThat(r.retain(fromClient("t/" + i, 100))).isTrue();
        }
        assertThat(r.count()).isEqualTo(10_000);
    }

    @Test
    void logLineNeverCarriesControlCharactersOrAWholeHugeTopic() {
        assertThat(RetainedMessages.forLog("a\nb\u0007c")).isEqualTo("a?b?c");
        assertThat(RetainedMessages.forLog("d/".repeat(30_000))).hasSize(203).endsWith("...");
    }
}
