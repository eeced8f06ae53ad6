package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vane.testkit.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's "Power cut, simulated", under the real store: Vane runs with {@code src/test/c/powercut.c}
 * preloaded, which logs the old bytes of every write to its store files and every sync point. A
 * publisher sends numbered QoS 1 and QoS 2 messages and retained updates to two persistent sessions (one
 * connected, one offline); Vane is killed with SIGKILL at a random moment (in even rounds once a random
 * number of messages was acknowledged, in odd rounds by the layer itself right after a random write, so
 * inside a commit), and {@link PowerCut} then
 * reverts or tears a random part of the writes that had not been synced, as a power cut could. Vane must
 * start on those files without moving the store aside, and every message the publisher saw acknowledged
 * must reach both sessions (QoS 1 at least once, QoS 2 exactly once, in order per topic), and the
 * retained value must be the last acknowledged one or newer.
 *
 * <p>Rounds: {@code -Dvane.powercut.rounds} (default 3; for more, e.g. {@code mvn -B -o verify -pl vane-it
 * -am -Dtest=PowerCutTest -Dsurefire.failIfNoSpecifiedTests=false -Dvane.powercut.rounds=20}). The kill
 * points and cuts come from a seed printed at the start; {@code -Dvane.powercut.seed} replays them (the
 * kill lands where the acknowledgements are, so the files differ from run to run; the cut's choices do not).
 *
 * <p>The test proves it can fail: {@link #aStoreThatDoesNotSyncIsCaught} runs a round in which the layer
 * turns the store's fsyncs into no-ops (as {@code synchronous=OFF} would, without changing Vane), and the
 * same check must then fail.
 */
class PowerCutTest {
    /** Messages per round at most: the kill comes before this many are acknowledged. */
    private static final int MAX_PER_ROUND = 2000;
    private static Path layer;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildLayer() throws Exception {
        layer = PowerCut.buildLayer();
    }

    @Test
    void everyAcknowledgedMessageSurvivesAPowerCut() throws Exception {
        int rounds = Integer.getInteger("vane.powercut.rounds", 3);
        long seed = Long.getLong("vane.powercut.seed", System.nanoTime());
        System.out.println("PowerCutTest: " + rounds + " rounds, seed " + seed + " (-Dvane.powercut.seed=" + seed
                + " replays it)");
        new Run(dir, seed, false, Duration.ofSeconds(30)).rounds(rounds);
    }

    @Test
    void aStoreThatDoesNotSyncIsCaught() throws Exception {
        long seed = Long.getLong("vane.powercut.seed", System.nanoTime());
        System.out.println("PowerCutTest (fsync made a no-op): seed " + seed);
        assertThatThrownBy(() -> new Run(dir, seed, true, Duration.ofSeconds(10)).rounds(1))
                .as("a store whose syncs do nothing must fail the power-cut check")
                .isInstanceOfAny(AssertionError.class, IllegalStateException.class)
                .satisfies(e -> System.out.println("caught, as it must be: " + e.getMessage()));
    }

    /** One test's rounds in one data folder. */
    private static final class Run {
        final Path dir;
        final Path data;
        final long seed;
        final Random random;
        final boolean noSync;
        final Duration deliveryDeadline;
        final int port = VaneProcess.freePort();
        final String url = "tcp://127.0.0.1:" + port;
        final NumberedTraffic traffic = new NumberedTraffic("cut");
        final NumberedTraffic.Received online = traffic.new Received();
        final NumberedTraffic.Received offline = traffic.new Received();

        Run(Path dir, long seed, boolean noSync, Duration deliveryDeadline) {
            this.dir = dir;
            this.data = dir.resolve("data");
            this.seed = seed;
            this.random = new Random(seed);
            this.noSync = noSync;
            this.deliveryDeadline = deliveryDeadline;
        }

        /**
         * The layer for the run that ends in round {@code round}'s cut, logging to that round's file; with
         * {@code killAfterWrites} > 0 it kills Vane itself after that many writes.
         */
        Map<String, String> layerEnv(int round, int killAfterWrites) {
            return Map.of("LD_PRELOAD", layer.toString(), "POWERCUT_DIR", data.toString(),
                    "POWERCUT_LOG", log(round).toString(), "POWERCUT_NO_SYNC", noSync ? "1" : "0",
                    "POWERCUT_KILL_AFTER_WRITES", Integer.toString(killAfterWrites));
        }

        Path log(int round) {
            return dir.resolve("powercut-" + round + ".log");
        }

        VaneProcess start(int round, int killAfterWrites) throws IOException {
            return VaneProcess.runWith(layerEnv(round, killAfterWrites), List.of(), dir, port, "-c", dir.resolve("vane.conf").toString());
        }

        void rounds(int rounds) throws Exception {
            Files.createDirectories(data);
            Files.writeString(dir.resolve("vane.conf"), "listener " + port + " 127.0.0.1\n"
                    + "allow_anonymous true\n"
                    + "persistence true\n"
                    + "persistence_location " + data + "\n"
                    + "max_queued_messages " + (rounds * MAX_PER_ROUND * 2 + 1000) + "\n");
            VaneProcess vane = start(0, 0);
            try {
                MqttClient onlineSub = traffic.subscriber(url, "online", online);
                MqttClient offlineSub = traffic.subscriber(url, "offline", offline);
                offlineSub.disconnect();
                for (int round = 0; round < rounds; round++) {
                    long t0 = System.nanoTime();
                    // Even rounds: SIGKILL from here once a random number of messages was acknowledged.
                    // Odd rounds: the layer kills Vane right after a random write, inside a commit. The Vane
                    // that checked the last round stops first (SIGTERM), since it writes as it delivers.
                    boolean byLayer = round % 2 == 1;
                    int killAfter = 100 + random.nextInt(MAX_PER_ROUND - 100);
                    int killAfterWrites = 50 + random.nextInt(1500);
                    if (byLayer) {
                        vane.close();
                        Poll.until(Duration.ofSeconds(10), () -> !onlineSub.isConnected());
                        vane = start(round, killAfterWrites);
                        NumberedTraffic.reconnect(onlineSub);
                        // The offline session stays away: restored at start-up and not claimed since, it must
                        // still get what is acknowledged for it (the bug this test found, now fixed).
                    }
                    int acked = traffic.publishUntilKilled(url, vane, byLayer ? Integer.MAX_VALUE : killAfter,
                            MAX_PER_ROUND);
                    assertThat(vane.isAlive()).isFalse();
                    PowerCut.Result cut = PowerCut.play(log(round), random);
                    System.out.printf("round %d: killed %s, %d acknowledged in the round; power cut: %s%n", round,
                            byLayer ? "by the layer after " + killAfterWrites + " writes" : "after " + killAfter
                            + " acknowledged", acked, cut);
                    assertThat(cut.writes()).as("the layer saw the store's writes").isPositive();
                    if (!noSync) {
                        assertThat(cut.syncs()).as("the layer saw the store's syncs").isPositive();
                    }
                    vane = start(round + 1, 0);
                    assertThat(vane.output()).as("round %d (seed %d): nothing synced was lost, so the store is"
                            + " not moved aside", round, seed).doesNotContain("moved aside");
                    NumberedTraffic.reconnect(onlineSub);
                    NumberedTraffic.reconnect(offlineSub);
                    int r = round;
                    boolean all = Poll.until(deliveryDeadline,
                            () -> online.hasEveryAcknowledged() && offline.hasEveryAcknowledged());
                    assertThat(all).as("round %d (seed %d): every acknowledged message delivered to both; missing"
                            + " online %s, offline %s", r, seed, online.missing(), offline.missing()).isTrue();
                    offlineSub.disconnect();
                    assertThat(traffic.retainedValue(url)).as("round %d (seed %d): the retained value", r, seed)
                            .isGreaterThanOrEqualTo(traffic.lastAckedRetained.get());
                    System.out.printf("round %d: %d ms, all %d acknowledged delivered%n", r,
                            (System.nanoTime() - t0) / 1_000_000, traffic.ackedQ1.size() + traffic.ackedQ2.size());
                }
                traffic.assertExactlyOnceAndInOrder(seed, List.of(online, offline));
                onlineSub.disconnect();
                onlineSub.close();
                offlineSub.close();
            } finally {
                vane.close();
            }
        }
    }
}
