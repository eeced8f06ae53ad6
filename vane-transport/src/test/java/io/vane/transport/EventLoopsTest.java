package io.vane.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventLoopsTest {

    @Test
    void oneLoopPerCore() {
        assertThat(EventLoops.defaultWorkers(1)).isEqualTo(1);
        assertThat(EventLoops.defaultWorkers(2)).isEqualTo(2);
        assertThat(EventLoops.defaultWorkers(16)).isEqualTo(16);
    }

    @Test
    void aConfiguredCountWins() {
        try (EventLoops loops = EventLoops.forThisMachine(3)) {
            assertThat(loops.workerCount()).isEqualTo(3);
        }
    }
}
