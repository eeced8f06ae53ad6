package io.vane.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The broker-wide bound on queued bytes: only the connections over their share are stopped. */
class OutboundBudgetTest {
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void close() {
        channels.forEach(ch -> ch.finishAndReleaseAll());
    }

    private EmbeddedChannel channel(OutboundBudget budget, int queued) {
        EmbeddedChannel ch = new EmbeddedChannel();
        budget.add(ch);
        if (queued > 0) {
            ch.write(Unpooled.wrappedBuffer(new byte[queued])); // written, not flushed: queued
        }
        budget.flushed(ch); // what the connection handler calls after each flush
        channels.add(ch);
        return ch;
    }

    @Test
    void underTheBudgetEveryoneMayQueue() {
        OutboundBudget budget = new OutboundBudget(100_000, null);
        EmbeddedChannel big = channel(budget, 60_000);
        EmbeddedChannel small = channel(budget, 1_000);
        budget.sample();
        assertThat(budget.queuedBytes()).isGreaterThanOrEqualTo(61_000);
        assertThat(budget.mayQueue(big)).isTrue();
        assertThat(budget.mayQueue(small)).isTrue();
    }

    @Test
    void overTheBudgetOnlyConnectionsAboveTheirShareAreStopped() {
        OutboundBudget budget = new OutboundBudget(100_000, null);
        EmbeddedChannel slow1 = channel(budget, 70_000);
        EmbeddedChannel slow2 = channel(budget, 60_000);
        EmbeddedChannel fast = channel(budget, 500);
        EmbeddedChannel idle = channel(budget, 0);
        budget.sample();
        assertThat(budget.queuedBytes()).isGreaterThan(budget.budgetBytes());
        // share = 100,000 / 4 connections
        assertThat(budget.mayQueue(slow1)).isFalse();
        assertThat(budget.mayQueue(slow2)).isFalse();
        assertThat(budget.mayQueue(fast)).isTrue();
        assertThat(budget.mayQueue(idle)).isTrue();

        // The slow ones drain: everyone may queue again after the next sample.
        slow1.flush();
        slow2.flush();
        budget.sample();
        assertThat(budget.mayQueue(slow1)).isTrue();
        assertThat(budget.mayQueue(slow2)).isTrue();
    }

    @Test
    void closedConnectionsLeaveTheSum() {
        OutboundBudget budget = new OutboundBudget(100_000, null);
        EmbeddedChannel gone = channel(budget, 150_000);
        EmbeddedChannel other = channel(budget, 10);
        gone.close();
        budget.sample();
        assertThat(budget.queuedBytes()).isLessThan(1_000);
        assertThat(budget.mayQueue(other)).isTrue();
    }

    @Test
    void onlyConnectionsWithQueuedBytesAreWatchedSoIdleOnesCostNothing() {
        OutboundBudget budget = new OutboundBudget(100_000, null);
        for (int i = 0; i < 100; i++) {
            channel(budget, 0);
        }
        EmbeddedChannel slow = channel(budget, 5_000);
        assertThat(budget.watchedCount()).isEqualTo(1);
        budget.sample();
        assertThat(budget.queuedBytes()).isGreaterThanOrEqualTo(5_000);

        slow.flush(); // the socket took it all
        budget.sample();
        assertThat(budget.watchedCount()).as("a drained connection leaves the watch").isZero();
        assertThat(budget.queuedBytes()).isZero();
    }
}
