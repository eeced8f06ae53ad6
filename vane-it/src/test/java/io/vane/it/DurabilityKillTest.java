package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.testkit.Poll;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
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
    private static final String Q1 = "dur/q1";
    private static final String Q2 = "dur/q2";
    private static final String RETAINED = "dur/retained";
    /** Messages per round at most: the kill comes before this many are acknowledged. */
    private static final int MAX_PER_ROUND = 3000;

    @TempDir
    Path dir;

    /** What one subscriber received, per topic, in arrival order. */
    private static final class Received {
        final List<Integer> q1 = Collections.synchronizedList(new ArrayList<>());
        final List<Integer> q2 = Collections.synchronizedList(new ArrayList<>());

        void add(String topic, MqttMessage m) {
            int n = Integer.parseInt(new String(m.getPayload(), StandardCharsets.US_ASCII));
            (topic.equals(Q1) ? q1 : q2).add(n);
        }
    }

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

        Received online = new Received();
        Received offline = new Received();
        Set<Integer> ackedQ1 = ConcurrentHashMap.newKeySet();
        Set<Integer> ackedQ2 = ConcurrentHashMap.newKeySet();
        AtomicLong lastAckedRetained = new AtomicLong(-1);
        AtomicInteger next = new AtomicInteger();

        VaneProcess vane = VaneProcess.start(dir, port, config);
        try {
            MqttClient onlineSub = subscriber(url, "online", online);
            MqttClient offlineSub = subscriber(url, "offline", offline);
            offlineSub.disconnect();
            for (int round = 0; round < rounds; round++) {
                int killAfter = 100 + random.nextInt(MAX_PER_ROUND - 100);
                long t0 = System.nanoTime();
                publishUntilKilled(url, vane, killAfter, next, ackedQ1, ackedQ2, lastAckedRetained);
                long t1 = System.nanoTime();
                assertThat(vane.isAlive()).isFalse();
                vane = VaneProcess.run(dir, port, "-c", dir.resolve("vane.conf").toString());
                assertThat(vane.output()).doesNotContain("moved aside");

                reconnect(onlineSub);
                reconnect(offlineSub);
                int r = round;
                boolean all = Poll.until(Duration.ofSeconds(30), () -> online.q1.containsAll(ackedQ1)
                        && online.q2.containsAll(ackedQ2) && offline.q1.containsAll(ackedQ1)
                        && offline.q2.containsAll(ackedQ2));
                assertThat(all).as("round %d (seed %d): every acknowledged message delivered to both; missing"
                        + " online q1 %s, q2 %s, offline q1 %s, q2 %s", r, seed, missing(ackedQ1, online.q1),
                        missing(ackedQ2, online.q2), missing(ackedQ1, offline.q1), missing(ackedQ2, offline.q2))
                        .isTrue();
                System.out.printf("round %d: killed after %d acknowledged (%d ms of publishing), restarted and"
                        + " drained in %d ms%n", r, killAfter, (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
                offlineSub.disconnect();
                assertThat(retainedValue(url)).as("round %d: the retained value", r)
                        .isGreaterThanOrEqualTo(lastAckedRetained.get());
            }
            for (Received got : List.of(online, offline)) {
                assertThat(duplicates(got.q2)).as("QoS 2 exactly once (seed %d)", seed).isEmpty();
                assertThat(inOrder(got.q1)).as("QoS 1 in order (seed %d)", seed).isTrue();
                assertThat(inOrder(got.q2)).as("QoS 2 in order (seed %d)", seed).isTrue();
            }
            onlineSub.disconnect();
            onlineSub.close();
            offlineSub.close();
        } finally {
            vane.close();
        }
    }

    private static MqttClient subscriber(String url, String id, Received into) throws MqttException {
        MqttClient c = new MqttClient(url, id, new MemoryPersistence());
        c.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                into.add(topic, message);
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
            }
        });
        c.connect(persistent());
        c.subscribe(new String[] {Q1, Q2}, new int[] {1, 2});
        return c;
    }

    private static MqttConnectOptions persistent() {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(false);
        o.setMaxInflight(1000);
        o.setKeepAliveInterval(60);
        return o;
    }

    /** Connects again after the broker came back; the session (and Paho's own state) carries on. */
    private static void reconnect(MqttClient c) throws MqttException {
        boolean up = Poll.until(Duration.ofSeconds(10), () -> {
            try {
                if (!c.isConnected()) {
                    c.connect(persistent());
                }
                return true;
            } catch (MqttException e) {
                return false;
            }
        });
        assertThat(up).as("%s reconnects", c.getClientId()).isTrue();
    }

    /**
     * Publishes numbered messages (alternately QoS 1 and QoS 2, every 50th also as the retained value)
     * with up to 64 in flight, and kills Vane with SIGKILL once {@code killAfter} were acknowledged.
     */
    private static void publishUntilKilled(String url, VaneProcess vane, int killAfter, AtomicInteger next,
            Set<Integer> ackedQ1, Set<Integer> ackedQ2, AtomicLong lastAckedRetained) throws Exception {
        MqttAsyncClient pub = new MqttAsyncClient(url, "publisher-" + next.get(), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setMaxInflight(64);
        pub.connect(o).waitForCompletion(10_000);
        Semaphore window = new Semaphore(64);
        AtomicInteger acked = new AtomicInteger();
        Thread killer = new Thread(() -> {
            Poll.until(Duration.ofSeconds(60), () -> acked.get() >= killAfter);
            try {
                vane.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "killer");
        killer.start();
        try {
            for (int i = 0; i < MAX_PER_ROUND && vane.isAlive(); i++) {
                // Bounded poll: wait for room in the window, or notice the broker is gone.
                while (!window.tryAcquire(10, TimeUnit.MILLISECONDS)) {
                    if (!vane.isAlive() || !pub.isConnected()) {
                        return;
                    }
                }
                int n = next.getAndIncrement();
                boolean qos2 = n % 2 == 1;
                boolean retainedToo = n % 50 == 0;
                byte[] payload = Integer.toString(n).getBytes(StandardCharsets.US_ASCII);
                IMqttActionListener done = new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        (qos2 ? ackedQ2 : ackedQ1).add(n);
                        acked.incrementAndGet();
                        window.release();
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable e) {
                        window.release();
                    }
                };
                try {
                    pub.publish(qos2 ? Q2 : Q1, payload, qos2 ? 2 : 1, false, null, done);
                    if (retainedToo) {
                        // Bounded poll: the retained update takes a slot of the window too.
                        while (!window.tryAcquire(10, TimeUnit.MILLISECONDS)) {
                            if (!vane.isAlive() || !pub.isConnected()) {
                                return;
                            }
                        }
                        pub.publish(RETAINED, payload, 1, true, null, new IMqttActionListener() {
                            @Override
                            public void onSuccess(IMqttToken token) {
                                lastAckedRetained.accumulateAndGet(n, Math::max);
                                window.release();
                            }

                            @Override
                            public void onFailure(IMqttToken token, Throwable e) {
                                window.release();
                            }
                        });
                    }
                } catch (MqttException e) {
                    // Only the broker going away may end the round early.
                    if (vane.isAlive() && pub.isConnected()) {
                        throw e;
                    }
                    return;
                }
            }
        } finally {
            killer.join(70_000);
            pub.disconnectForcibly(0, 0, false);
            pub.close(true);
        }
    }

    private static long retainedValue(String url) throws Exception {
        MqttClient c = new MqttClient(url, "retained-reader", new MemoryPersistence());
        AtomicLong value = new AtomicLong(Long.MIN_VALUE);
        c.connect();
        c.subscribe(RETAINED, 1, (topic, m) -> value.set(Long.parseLong(new String(m.getPayload(),
                StandardCharsets.US_ASCII))));
        Poll.until(Duration.ofSeconds(5), () -> value.get() != Long.MIN_VALUE);
        c.disconnect();
        c.close();
        return value.get();
    }

    private static List<Integer> missing(Set<Integer> acked, List<Integer> got) {
        Set<Integer> have;
        synchronized (got) {
            have = new HashSet<>(got);
        }
        List<Integer> m = new ArrayList<>();
        for (int n : acked) {
            if (!have.contains(n)) {
                m.add(n);
            }
        }
        Collections.sort(m);
        return m.size() > 20 ? m.subList(0, 20) : m;
    }

    private static List<Integer> duplicates(List<Integer> got) {
        Set<Integer> seen = new HashSet<>();
        List<Integer> dup = new ArrayList<>();
        synchronized (got) {
            for (int n : got) {
                if (!seen.add(n)) {
                    dup.add(n);
                }
            }
        }
        return dup;
    }

    /** Whether each number's first arrival comes after every smaller number's first arrival. */
    private static boolean inOrder(List<Integer> got) {
        Set<Integer> seen = new HashSet<>();
        int last = -1;
        synchronized (got) {
            for (int n : got) {
                if (seen.add(n)) {
                    if (n < last) {
                        return false;
                    }
                    last = n;
                }
            }
        }
        return true;
    }

}
