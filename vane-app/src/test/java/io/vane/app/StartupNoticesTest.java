package io.vane.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.app.config.VaneConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Options accepted but not honoured yet are said at start-up, one line each, never silently ignored. */
class StartupNoticesTest {

    @Test
    void persistenceTrueIsNoLongerANotice() {
        VaneConfig config = VaneConfig.defaults().withBroker(VaneConfig.defaults().broker().toBuilder()
                .persistence(true).persistenceLocation(Path.of("/var/lib/mosquitto/")).build());
        assertThat(Vane.startupNotices(config)).isEmpty();
    }

    @Test
    void upgradeOutgoingQosIsAppliedSoItIsNoLongerANotice() {
        VaneConfig config = VaneConfig.defaults().withBroker(VaneConfig.defaults().broker().toBuilder()
                .upgradeOutgoingQos(true).build());
        assertThat(Vane.startupNotices(config)).isEmpty();
    }

    @Test
    void theDefaultsSayNothing() {
        assertThat(Vane.startupNotices(VaneConfig.defaults())).isEmpty();
    }
}
