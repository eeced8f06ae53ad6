package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.testkit.Poll;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability promise, tested as it is broken in life: Vane is killed with SIGKILL at a random moment
 * while a publisher sends numbered QoS 1 and QoS 2 messages and retained updates to persistent
 * sessions, one connected and one offline; after each restart every message the publisher saw
 * acknowledged reaches both (QoS 1 at least once, QoS 2 exactly once, in order per topic) and the retained
 * value is the last acknowledged one or newer.
 *
 * <p>Rounds: {@code -Dvane.crash.rounds} (default 3 here; the full count, 20, is
 * {@code mvn -B verify -pl vane-it -am -Dtest=DurabilityKillTest -Dvane.crash.rounds=20
 * -Dsurefire.failIfNoSpecifiedTests=false}). The kill points come from a seed printed at the start;
 * {@code -Dvane.crash.seed} replays a run.
 */
class DurabilityKillTest {
    /** Messages per round at most: the kill comes before this many are acknowledged. */
    private static final int MAX_PER_ROUND = 3000;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedMessageSurvivesKillNine() throws Exception {
        int rounds = Integer.getInteger("vane.crash.rounds", 3);
        long seed = Long.getLong("vane.crash.seed", System.nanoTime());
        System.out.println("DurabilityKillTest: " + rounds + " rounds, seed " + seed + " (-Dvane.crash.seed=" + seed
                + " replays it)");
        Random random = new Random(seed);
        int port = VaneProcess.freePort();
        Path data = dir.resolve("data");
        String config = "listener " + port + " 127.0.0.1\n"
                + "allow_anonymous true\n"
                + "persistence true\n"
                + "persistence_location " + data + "\n"
                + "max_queued_messages " + (rounds * MAX_PER_ROUND * 2 + 1000) + "\n";
        String url = "tcp://127.0.0.1:" + port;
        NumberedTraffic traffic = new NumberedTraffic("dur");
        NumberedTraffic.Received online = traffic.new Received();
        NumberedTraffic.Received offline = traffic.new Received();

        VaneProcess vane = VaneProcess.start(dir, port, config);
        try {
            MqttClient onlineSub = traffic.subscriber(url, "online", online);
            MqttClient offlineSub = traffic.subscriber(url, "offline", offline);
            offlineSub.disconnect();
            for (int round = 0; round < rounds; round++) {
                int killAfter = 100 + random.nextInt(MAX_PER_ROUND - 100);
                long t0 = System.nanoTime();
                traffic.publishUntilKilled(url, vane, killAfter, MAX_PER_ROUND);
                long t1 = System.nanoTime();
                assertThat(vane.isAlive()).isFalse();
                vane = VaneProcess.run(dir, port, "-c", dir.resolve("vane.conf").toString());
                assertThat(vane.output()).doesNotContain("moved aside");

                NumberedTraffic.reconnect(onlineSub);
                NumberedTraffic.reconnect(offlineSub);
                int r = round;
                boolean all = Poll.until(Duration.ofSeconds(30),
                        () -> online.hasEveryAcknowledged() && offline.hasEveryAcknowledged());
                assertThat(all).as("round %d (seed %d): every acknowledged message delivered to both; missing"
                        + " online %s, offline %s", r, seed, online.missing(), offline.missing()).isTrue();
                System.out.printf("round %d: killed after %d acknowledged (%d ms of publishing), restarted and"
                        + " drained in %d ms%n", r, killAfter, (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
                offlineSub.disconnect();
                assertThat(traffic.retainedValue(url)).as("round %d: the retained value", r)
                        .isGreaterThanOrEqualTo(traffic.lastAckedRetained.get());
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
