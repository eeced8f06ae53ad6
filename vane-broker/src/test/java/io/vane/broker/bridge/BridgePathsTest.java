package io.vane.broker.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.broker.Message;
import io.vane.protocol.Properties;
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
}
