package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.testkit.Poll;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Numbered traffic for the crash tests (kill -9, power cut): a Paho publisher sends numbered messages,
 * odd ones QoS 2 and even ones QoS 1, every 50th also as a retained value, to persistent Paho sessions;
 * this keeps what the publisher saw acknowledged and what each session received, and answers the
 * zero-loss checks: nothing acknowledged missing, QoS 2 exactly once, first arrivals in order per topic.
 */
final class NumberedTraffic {
    final String q1;
    final String q2;
    final String retained;
    final Set<Integer> ackedQ1 = ConcurrentHashMap.newKeySet();
    final Set<Integer> ackedQ2 = ConcurrentHashMap.newKeySet();
    final AtomicLong lastAckedRetained = new AtomicLong(-1);
    private final AtomicInteger next = new AtomicInteger();

    /** Topics {@code prefix/q1}, {@code prefix/q2} and {@code prefix/retained}. */
    NumberedTraffic(String prefix) {
        this.q1 = prefix + "/q1";
        this.q2 = prefix + "/q2";
        this.retained = prefix + "/retained";
    }

    /** What one subscriber received, per topic, in arrival order. */
    final class Received {
        final List<Integer> q1 = Collections.synchronizedList(new ArrayList<>());
        final List<Integer> q2 = Collections.synchronizedList(new ArrayList<>());

        void add(String topic, MqttMessage m) {
            int n = Integer.parseInt(new String(m.getPayload(), StandardCharsets.US_ASCII));
            (topic.equals(NumberedTraffic.this.q1) ? q1 : q2).add(n);
        }

        boolean hasEveryAcknowledged() {
            return q1.containsAll(ackedQ1) && q2.containsAll(ackedQ2);
        }

        /** The acknowledged messages missing here, for an assertion's message. */
        String missing() {
            return "q1 " + NumberedTraffic.missing(ackedQ1, q1) + ", q2 " + NumberedTraffic.missing(ackedQ2, q2);
        }
    }

    /** A persistent session subscribed to both numbered topics (QoS 1 and 2), collecting into {@code into}. */
    MqttClient subscriber(String url, String id, Received into) throws MqttException {
        MqttClient c = new MqttClient(url, id, new MemoryPersistence());
        c.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                into.add(topic, message);
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        c.connect(persistent());
        c.subscribe(new String[] {q1, q2}, new int[] {1, 2});
        return c;
    }

    static MqttConnectOptions persistent() {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(false);
        o.setMaxInflight(1000);
        o.setKeepAliveInterval(60);
        return o;
    }

    /** Connects again after the broker came back; the session (and Paho's own state) carries on. */
    static void reconnect(MqttClient c) {
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
     * Publishes up to {@code max} numbered messages with up to 64 in flight, and kills Vane with SIGKILL
     * once {@code killAfter} were acknowledged, or once all were sent if Vane has not died by then (a
     * layer under it may kill it first). Returns how many were acknowledged.
     */
    int publishUntilKilled(String url, Killable vane, int killAfter, int max) throws Exception {
        MqttAsyncClient pub = new MqttAsyncClient(url, "publisher-" + next.get(), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMaxInflight(64);
        pub.connect(o).waitForCompletion(10_000);
        Semaphore window = new Semaphore(64);
        AtomicInteger acked = new AtomicInteger();
        AtomicBoolean allSent = new AtomicBoolean();
        Thread killer = new Thread(() -> {
            Poll.until(Duration.ofSeconds(60), () -> acked.get() >= killAfter || !vane.isAlive()
                    || allSent.get() && killAfter == Integer.MAX_VALUE);
            try {
                vane.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "killer");
        killer.start();
        try {
            for (int i = 0; i < max && vane.isAlive(); i++) {
                if (!acquire(window, vane, pub)) {
                    return acked.get();
                }
                int n = next.getAndIncrement();
                boolean qos2 = n % 2 == 1;
                byte[] payload = Integer.toString(n).getBytes(StandardCharsets.US_ASCII);
                try {
                    pub.publish(qos2 ? q2 : q1, payload, qos2 ? 2 : 1, false, null, listener(window, () -> {
                        (qos2 ? ackedQ2 : ackedQ1).add(n);
                        acked.incrementAndGet();
                    }));
                    if (n % 50 == 0) {
                        if (!acquire(window, vane, pub)) {
                            return acked.get();
                        }
                        pub.publish(retained, payload, 1, true, null,
                                listener(window, () -> lastAckedRetained.accumulateAndGet(n, Math::max)));
                    }
                } catch (MqttException e) {
                    // Only the broker going away may end the round early.
                    if (vane.isAlive() && pub.isConnected()) {
                        throw e;
                    }
                    return acked.get();
                }
            }
            allSent.set(true);
            return acked.get();
        } finally {
            allSent.set(true);
            killer.join(70_000);
            pub.disconnectForcibly(0, 0, false);
            pub.close(true);
        }
    }

    /**
     * Publishes {@code count} numbered messages at {@code perSecond} to a broker that stays up (a fault
     * elsewhere, e.g. at the far side of a bridge), with up to 64 in flight; {@code acked} counts the
     * acknowledgements as they come, for the caller to time its fault by. Returns once every message was
     * acknowledged, or after {@code timeout}.
     */
    void publishPaced(String url, int count, int perSecond, AtomicInteger acked, Duration timeout) throws Exception {
        MqttAsyncClient pub = new MqttAsyncClient(url, "paced-publisher-" + next.get(), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMaxInflight(64);
        pub.connect(o).waitForCompletion(10_000);
        Semaphore window = new Semaphore(64);
        long start = System.nanoTime();
        long period = 1_000_000_000L / perSecond;
        try {
            for (int i = 0; i < count; i++) {
                // Load shaping, not a wait for something to happen: the 100 msg/s.
                java.util.concurrent.locks.LockSupport.parkNanos(start + i * period - System.nanoTime());
                if (!window.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("no acknowledgement for " + timeout + " from " + url);
                }
                int n = next.getAndIncrement();
                boolean qos2 = n % 2 == 1;
                pub.publish(qos2 ? q2 : q1, Integer.toString(n).getBytes(StandardCharsets.US_ASCII), qos2 ? 2 : 1,
                        false, null, listener(window, () -> {
                            (qos2 ? ackedQ2 : ackedQ1).add(n);
                            acked.incrementAndGet();
                        }));
            }
            window.tryAcquire(64, timeout.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            pub.disconnect().waitForCompletion(5_000);
            pub.close();
        }
    }

    /** A step of a fault run: kill, stop, cut, restart. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    /**
     * Publishes {@code count} numbered messages at 100 msg/s to {@code url}; after 300 acknowledgements
     * runs {@code fault}, lets {@code during} more be acknowledged (the broker at {@code url} stays up), runs
     * {@code recover}, and returns once the rest was published and acknowledged.
     */
    void publishThroughFault(String url, int count, int during, Step fault, Step recover) throws Exception {
        AtomicInteger acked = new AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread publisher = new Thread(() -> {
            try {
                publishPaced(url, count, 100, acked, Duration.ofSeconds(60));
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "paced-publisher");
        publisher.start();
        assertThat(Poll.until(Duration.ofSeconds(20), () -> acked.get() >= 300)).isTrue();
        int atFault = acked.get();
        try {
            fault.run();
            assertThat(Poll.until(Duration.ofSeconds(30), () -> acked.get() >= atFault + during)).isTrue();
        } finally {
            recover.run();
        }
        publisher.join(60_000);
        assertThat(failure.get()).isNull();
    }

    /** How many were acknowledged, of both QoS. */
    int ackedCount() {
        return ackedQ1.size() + ackedQ2.size();
    }

    /** Bounded poll for room in the window; false once the broker is gone. */
    private static boolean acquire(Semaphore window, Killable vane, MqttAsyncClient pub)
            throws InterruptedException {
        while (!window.tryAcquire(10, TimeUnit.MILLISECONDS)) {
            if (!vane.isAlive() || !pub.isConnected()) {
                return false;
            }
        }
        return true;
    }

    private static IMqttActionListener listener(Semaphore window, Runnable onAck) {
        return new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                onAck.run();
                window.release();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                window.release();
            }
        };
    }

    /** The retained value a new subscriber gets now. */
    long retainedValue(String url) throws Exception {
        MqttClient c = new MqttClient(url, "retained-reader", new MemoryPersistence());
        AtomicLong value = new AtomicLong(Long.MIN_VALUE);
        c.connect();
        c.subscribe(retained, 1, (topic, m) -> value.set(Long.parseLong(new String(m.getPayload(),
                StandardCharsets.US_ASCII))));
        Poll.until(Duration.ofSeconds(5), () -> value.get() != Long.MIN_VALUE);
        c.disconnect();
        c.close();
        return value.get();
    }

    /** QoS 2 arrived exactly once, and each topic's first arrivals are in order, at every subscriber. */
    void assertExactlyOnceAndInOrder(long seed, List<Received> subscribers) {
        for (Received got : subscribers) {
            assertThat(duplicates(got.q2)).as("QoS 2 exactly once (seed %d)", seed).isEmpty();
            assertThat(outOfOrder(got.q1)).as("QoS 1 in order (seed %d)", seed).isNull();
            assertThat(outOfOrder(got.q2)).as("QoS 2 in order (seed %d)", seed).isNull();
        }
    }

    /** The acknowledged numbers not in {@code got}: how many, and the first 20. */
    static String missing(Set<Integer> acked, List<Integer> got) {
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
        return m.size() + (m.isEmpty() ? "" : " from " + m.get(0) + " to " + m.get(m.size() - 1) + ", first "
                + m.subList(0, Math.min(20, m.size())));
    }

    static List<Integer> duplicates(List<Integer> got) {
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
    /** Null when each number's first arrival comes after the previous one's, else where it did not. */
    static String outOfOrder(List<Integer> got) {
        Set<Integer> seen = new HashSet<>();
        int last = -1;
        int position = 0;
        synchronized (got) {
            for (int n : got) {
                if (seen.add(n)) {
                    if (n < last) {
                        return n + " arrived after " + last + " (arrival " + position + " of " + got.size() + ", around "
                                + got.subList(Math.max(0, position - 5), Math.min(got.size(), position + 5)) + ")";
                    }
                    last = n;
                }
                position++;
            }
        }
        return null;
    }
}
