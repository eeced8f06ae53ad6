package io.vane.it.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.app.service.SystemdNotifier;
import io.vane.app.service.Watchdog;
import io.vane.testkit.Poll;
import io.vane.transport.EventLoops;
import io.vane.transport.ops.EventLoopProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watchdog is fed only while every event loop answers: a real loop is held busy, feeding stops and
 * STATUS says which loop; released, feeding resumes.
 */
class WatchdogTest {
    @TempDir
    Path dir;

    @Test
    void aStuckEventLoopStopsTheFeedingUntilItAnswersAgain() throws Exception {
        try (NotifySocket systemd = new NotifySocket(dir.resolve("notify.sock"));
                EventLoops loops = new EventLoops(1);
                EventLoopProbe probe = new EventLoopProbe(50, TimeUnit.MILLISECONDS,
                        List.of(loops.workers()), List.of("io"));
                SystemdNotifier notifier = SystemdNotifier.fromEnvironment(
                        Map.of("NOTIFY_SOCKET", systemd.path.toString()))) {
            long silence = 200_000_000L;
            Watchdog watchdog = Watchdog.startIfAsked(Map.of("WATCHDOG_USEC", "400000"), notifier,
                    () -> probe.silentLongerThan(silence));
            assertThat(watchdog).isNotNull();
            try {
                assertThat(systemd.await("WATCHDOG=1", Duration.ofSeconds(5))).isNotNull();
                CountDownLatch release = new CountDownLatch(1);
                loops.workers().next().execute(() -> {
                    try {
                        release.await(30, TimeUnit.SECONDS); // a blocking call where none belongs
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                String status = systemd.await("STATUS=Not alive", Duration.ofSeconds(5));
                assertThat(status).isNotNull().contains("io-0");
                // Six feeding periods with the loop still stuck: none of them may have fed.
                assertThat(Poll.until(Duration.ofSeconds(10), () -> probe.lagSeconds()[0] > 1.2)).isTrue();
                assertThat(systemd.drain()).doesNotContain("WATCHDOG=1\n");
                release.countDown();
                assertThat(systemd.await("WATCHDOG=1", Duration.ofSeconds(5))).as("fed again").isNotNull();
            } finally {
                watchdog.close();
            }
        }
    }

    @Test
    void notFedWhenSystemdDidNotAskOrAskedAnotherProcess() {
        SystemdNotifier active = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", dir.resolve("x").toString()));
        try {
            assertThat(Watchdog.startIfAsked(Map.of(), active, List::of)).isNull();
            assertThat(Watchdog.startIfAsked(Map.of("WATCHDOG_USEC", "1000000", "WATCHDOG_PID", "1"), active,
                    List::of)).isNull();
            assertThat(Watchdog.startIfAsked(Map.of("WATCHDOG_USEC", "1000000"), SystemdNotifier.NONE, List::of))
                    .isNull();
        } finally {
            active.close();
        }
    }
}
