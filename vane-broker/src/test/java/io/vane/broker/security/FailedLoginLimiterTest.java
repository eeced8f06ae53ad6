package io.vane.broker.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Growing delays per source address, forgotten after the window, bounded in memory. */
class FailedLoginLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final FailedLoginLimiter limiter = new FailedLoginLimiter(now::get);

    @Test
    void firstFailuresAreFreeThenDelaysDoubleUpToAMinute() {
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.recordFailure("10.0.0.1:" + (5000 + i))).isZero();
        }
        assertThat(limiter.recordFailure("10.0.0.1:6000")).isEqualTo(1000);
        assertThat(limiter.recordFailure("10.0.0.1:6001")).isEqualTo(2000);
        assertThat(limiter.recordFailure("10.0.0.1:6002")).isEqualTo(4000);
        for (int i = 0; i < 20; i++) {
            limiter.recordFailure("10.0.0.1:7000");
        }
        assertThat(limiter.recordFailure("10.0.0.1:7000")).isEqualTo(60_000);
        assertThat(limiter.recordFailure("10.0.0.2:7000")).as("other addresses are not slowed").isZero();
    }

    @Test
    void theWindowAndASuccessReset() {
        for (int i = 0; i < 5; i++) {
            limiter.recordFailure("10.0.0.1:1");
        }
        now.addAndGet(FailedLoginLimiter.WINDOW_MILLIS + 1);
        assertThat(limiter.recordFailure("10.0.0.1:1")).isZero();
        for (int i = 0; i < 5; i++) {
            limiter.recordFailure("10.0.0.3:1");
        }
        limiter.recordSuccess("10.0.0.3:2");
        assertThat(limiter.recordFailure("10.0.0.3:1")).isZero();
    }

    @Test
    void memoryIsBounded() {
        for (int i = 0; i < FailedLoginLimiter.MAX_ADDRESSES + 500; i++) {
            limiter.recordFailure("10.1." + (i / 256) + "." + (i % 256) + ":1");
        }
        assertThat(limiter.size()).isEqualTo(FailedLoginLimiter.MAX_ADDRESSES);
    }

    @Test
    void hostsWithoutPorts() {
        assertThat(FailedLoginLimiter.host("127.0.0.1:5000")).isEqualTo("127.0.0.1");
        assertThat(FailedLoginLimiter.host("::1:5000")).isEqualTo("::1");
    }
}
