package io.vane.broker.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.broker.Message;
import io.vane.protocol.Properties;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BridgePathsTest {
    private final BridgePaths a = new BridgePaths("a");
    private final BridgePaths b = new BridgePaths("b");
    private final BridgePaths c = new BridgePaths("c");

    private static Message message(String payload) {
        return Message.of("t", payload.getBytes(), 1, false);
    }

    @Test
    void aMessageWithoutAPathIsAlwaysTaken() {
        assertThat(a.admit(Properties.NONE)).isTrue();
        assertThat(a.admit(Properties.builder().addUserProperty("x", "y").build())).isTrue();
    }

    @Test
    void theOriginIsStampedOnceAndEachBrokerJoinsThePath() {
        Message m = message("1");
        Properties fromA = a.stamp(m, m.properties()).build();
        String origin = fromA.userProperties().get(0).value();
        assertThat(origin).startsWith("a:");
        assertThat(b.admit(fromA)).isTrue();
        Properties fromB = b.stamp(m, fromA).build();
        assertThat(fromB.userProperties()).hasSize(1);
        assertThat(fromB.userProperties().get(0).value()).isEqualTo(origin + ",b");
        assertThat(c.admit(fromB)).isTrue();
        Properties fromC = c.stamp(m, fromB).build();
        assertThat(a.admit(fromC)).as("back at its origin").isFalse();
        assertThat(b.admit(fromC)).as("back at a broker on its path").isFalse();
    }

    @Test
    void theSameOriginBySecondRouteIsDroppedButAnotherMessageIsNot() {
        Message m = message("1");
        Properties direct = a.stamp(m, m.properties()).build();
        Properties viaB = b.stamp(m, direct).build();
        assertThat(c.admit(direct)).isTrue();
        assertThat(c.admit(viaB)).as("the same message by another route").isFalse();
        Message same = message("1");
        assertThat(c.admit(a.stamp(same, same.properties()).build())).as("an equal but new message").isTrue();
    }

    @Test
    void aPathTooLongIsDropped() {
        StringBuilder path = new StringBuilder("x:1");
        for (int i = 0; i < BridgePaths.MAX_HOPS; i++) {
            path.append(",n").append(i);
        }
        assertThat(a.admit(Properties.builder().addUserProperty(BridgePaths.VIA, path.toString()).build())).isFalse();
    }

    @Test
    void aSecondRouteWaitsUntilTheFirstHasRoutedWhatItAdmitted() throws Exception {
        // Route 1 admits message 1 and is still routing it; route 2 has seen message 1 (dropped) and now
        // brings message 2. Message 2 must not be routed before message 1, or a subscriber sees 2 then 1.
        Message one = message("1");
        Message two = message("2");
        Properties oneDirect = a.stamp(one, one.properties()).build();
        Properties twoViaB = b.stamp(two, a.stamp(two, two.properties()).build()).build();
        List<String> routed = new CopyOnWriteArrayList<>();
        CountDownLatch routing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread first = new Thread(() -> c.routeOnce(oneDirect, () -> {
            routing.countDown();
            await(release);
            return routed.add("1");
        }));
        first.start();
        assertThat(routing.await(10, TimeUnit.SECONDS)).isTrue();
        Thread second = new Thread(() -> c.routeOnce(twoViaB, () -> routed.add("2")));
        second.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (second.getState() != Thread.State.BLOCKED && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(second.getState()).as("route 2 waits for route 1").isEqualTo(Thread.State.BLOCKED);
        release.countDown();
        first.join(10_000);
        second.join(10_000);
        assertThat(routed).containsExactly("1", "2");
        assertThat(c.routeOnce(b.stamp(one, oneDirect).build(), () -> "again")).as("message 1 by route 2").isNull();
    }

    @Test
    void aMessageWithoutAPathIsRoutedWithoutTheLock() {
        assertThat(a.routeOnce(Properties.NONE, () -> "routed")).isEqualTo("routed");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
