package io.vane.broker.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Attempts per source address queue like sequential ones, forgotten after the window, bounded in memory. */
class FailedLoginLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final FailedLoginLimiter limiter = new FailedLoginLimiter(now::get);

    @Test
    void sequentialFailuresAreFreeThenDelaysDoubleUpToAMinute() {
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.attempt("10.0.0.1:" + (5000 + i), "u")).isZero();
        }
        long d = limiter.attempt("10.0.0.1:6000", "u");
        assertThat(d).isEqualTo(1000);
        now.addAndGet(d);
        d = limiter.attempt("10.0.0.1:6001", "u");
        assertThat(d).isEqualTo(2000);
        now.addAndGet(d);
        assertThat(limiter.attempt("10.0.0.1:6002", "u")).isEqualTo(4000);
        assertThat(FailedLoginLimiter.delayAfter(30)).isEqualTo(60_000);
        assertThat(limiter.attempt("10.0.0.2:7000", "u")).as("other addresses are not slowed").isZero();
    }

    @Test
    void parallelAttemptsAreAnsweredNoSoonerThanSequentialOnes() {
        // Issue 11: 300 parallel guesses from one address were all answered within 20 s.
        long sequentialTotal = 0;
        long last = 0;
        for (int i = 1; i <= 300; i++) {
            long d = limiter.attempt("10.0.0.1:" + i, "victim"); // all at the same instant
            sequentialTotal = Math.min(sequentialTotal + FailedLoginLimiter.delayAfter(i),
                    FailedLoginLimiter.MAX_QUEUE_MILLIS);
            assertThat(d).as("attempt %d", i).isEqualTo(sequentialTotal).isGreaterThanOrEqualTo(last);
            last = d;
        }
        assertThat(last).isEqualTo(FailedLoginLimiter.MAX_QUEUE_MILLIS);
    }

    @Test
    void aRightPasswordWaitsItsTurnLikeAWrongOne() {
        for (int i = 0; i < 5; i++) {
            limiter.attempt("10.0.0.1:1", "victim");
        }
        // The attempt's delay is given before its outcome is known: it cannot depend on it.
        long d = limiter.attempt("10.0.0.1:2", "victim");
        assertThat(d).isEqualTo(1000 + 2000 + 4000);
    }

    @Test
    void anotherUsersSuccessResetsNothing() {
        for (int i = 0; i < 5; i++) {
            limiter.attempt("10.0.0.3:1", "victim");
        }
        limiter.attempt("10.0.0.3:2", "mallory");
        limiter.succeeded("10.0.0.3:2", "mallory");
        now.addAndGet(60_000);
        assertThat(limiter.attempt("10.0.0.3:1", "victim")).as("6th failure from the address").isEqualTo(4000);
    }

    @Test
    void aUsersOwnSuccessTakesBackItsOwnFailures() {
        for (int i = 0; i < 5; i++) {
            limiter.attempt("10.0.0.4:1", "typo");
        }
        now.addAndGet(60_000);
        limiter.succeeded("10.0.0.4:1", "typo");
        assertThat(limiter.attempt("10.0.0.4:1", "typo")).isZero();
        limiter.succeeded("10.0.0.4:1", "typo");
        assertThat(limiter.size()).isZero();
    }

    @Test
    void theWindowResets() {
        for (int i = 0; i < 5; i++) {
            limiter.attempt("10.0.0.1:1", "u");
        }
        now.addAndGet(FailedLoginLimiter.WINDOW_MILLIS + 1);
        assertThat(limiter.attempt("10.0.0.1:1", "u")).isZero();
    }

    @Test
    void memoryIsBounded() {
        for (int i = 0; i < FailedLoginLimiter.MAX_ADDRESSES + 500; i++) {
            limiter.attempt("10.1." + (i / 256) + "." + (i % 256) + ":1", "u" + i);
        }
        assertThat(limiter.size()).isEqualTo(FailedLoginLimiter.MAX_ADDRESSES);
    }

    @Test
    void hostsWithoutPorts() {
        assertThat(FailedLoginLimiter.host("127.0.0.1:5000")).isEqualTo("127.0.0.1");
        assertThat(FailedLoginLimiter.host("::1:5000")).isEqualTo("::1");
    }
}
