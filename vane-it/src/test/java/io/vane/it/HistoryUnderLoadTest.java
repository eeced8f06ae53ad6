package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: {@code /api/history} must not take the network event loops from MQTT. Vane runs as a user
 * runs it (the jar, the launcher's JVM options); its history is filled to the full 2,000 points of 60
 * fields, then anonymous HTTP clients ask for all of it, in parallel and pipelined, while an MQTT client
 * measures its publish-to-receive round trip on 127.0.0.1 and new MQTT clients connect.
 */
class HistoryUnderLoadTest {
    static final String TOPIC = "load/history";
    static final int POINTS = 2_000;
    static final int FIELDS = 60;
    static final String FULL = "/api/history?topic=" + TOPIC.replace("/", "%2F") + "&since=0";

    @TempDir
    static Path dir;
    static VaneProcess vane;
    static int mqttPort;
    static int httpPort;

    @BeforeAll
    static void startAndFill() throws Exception {
        mqttPort = VaneProcess.freePort();
        httpPort = VaneProcess.freePort();
        vane = VaneProcess.start(dir, mqttPort, String.join("\n",
                "listener " + mqttPort + " 127.0.0.1",
                "listener " + httpPort + " 127.0.0.1",
                "protocol websockets",
                "allow_anonymous true",
                "simulate_weather false",
                "history_topics " + TOPIC,
                ""));
        MqttClient pub = client("filler");
        Random r = new Random(11);
        long started = System.nanoTime();
        int sent = 0;
        int points = 0;
        // The history client takes QoS 0: publish until the store holds its full 2,000 raw points.
        while (points < POINTS && sent < 3 * POINTS) {
            for (int i = 0; i < 500; i++, sent++) {
                StringBuilder json = new StringBuilder("{\"dateTime\":\"").append(1_700_000_000 + sent).append('"');
                for (int f = 0; f < FIELDS; f++) {
                    json.append(",\"field_").append(f).append("\":")
                            .append(String.format(Locale.ROOT, "%.4f", 10 + f + r.nextDouble() * 100));
                }
                pub.publish(TOPIC, json.append('}').toString().getBytes(StandardCharsets.UTF_8), 1, false);
            }
            Thread.sleep(200); // pacing of a bounded poll (at most 3 x 2,000 messages): let the store take them
            points = pointsIn(new String(get(FULL).body, StandardCharsets.UTF_8));
        }
        pub.disconnect();
        pub.close();
        long t0 = System.nanoTime();
        Response full = get(FULL);
        System.out.printf("history filled: %d points x %d fields from %d publishes in %d ms; one full answer"
                + " %d bytes in %d ms%n", points, FIELDS, sent, (t0 - started) / 1_000_000, full.body.length,
                (System.nanoTime() - t0) / 1_000_000);
        assertThat(points).isEqualTo(POINTS);
        assertThat(full.body.length).isGreaterThan(500_000);
    }

    @AfterAll
    static void stop() {
        if (vane != null) {
            vane.close();
        }
    }

    @Test
    void fortyParallelFullHistoryRequestsLeaveMqttFast() throws Exception {
        RoundTrips rtt = RoundTrips.start();
        Connects connects = Connects.start();
        Thread.sleep(500); // a quiet baseline of round trips before the attack: a measurement window
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicLong bytes = new AtomicLong();
        List<Socket> sockets = new CopyOnWriteArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<Thread> attackers = new ArrayList<>();
        for (int a = 0; a < 40; a++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < deadline) {
                    try (Socket s = open()) {
                        sockets.add(s);
                        while (System.nanoTime() < deadline) {
                            s.getOutputStream().write(request(FULL, false));
                            Response res = Response.read(s.getInputStream());
                            statuses.computeIfAbsent(res.status, k -> new AtomicInteger()).incrementAndGet();
                            bytes.addAndGet(res.body.length);
                            if (res.status != 200) {
                                Thread.sleep(res.retryAfter() ? 200 : 50); // the attacker honours Retry-After: pacing
                            }
                        }
                    } catch (IOException e) {
                        statuses.computeIfAbsent(-1, k -> new AtomicInteger()).incrementAndGet();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "attacker-" + a);
            t.setDaemon(true);
            attackers.add(t);
            t.start();
        }
        while (System.nanoTime() < deadline) {
            Thread.sleep(100); // the attack lasts a fixed time: that duration is what is measured
        }
        rtt.stop();
        connects.stop();
        for (Socket s : sockets) {
            s.close();
        }
        for (Thread t : attackers) {
            t.join(5_000);
        }
        System.out.printf("40 parallel full-history clients for 10 s: HTTP answers %s (-1 = connection failed),"
                + " %d body bytes%n", statuses, bytes.get());
        rtt.print("MQTT round trip during the attack");
        connects.print("MQTT connect during the attack");
        assertThat(rtt.count()).as("round trips measured").isGreaterThan(20);
        assertThat(rtt.median()).as("median MQTT round trip (ms) during the attack").isLessThan(100);
        assertThat(connects.failures.get()).as("MQTT connects that failed during the attack").isZero();
        assertThat(connects.times).as("MQTT connects made during the attack").hasSizeGreaterThan(5);
        assertThat(statuses.getOrDefault(200, new AtomicInteger()).get()).as("full answers served").isPositive();
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        String[] paths = {FULL, "/api/status", "/no/such/file", "/api/history?topic=" + TOPIC + "&since=99999999999999",
            FULL, "/api/history?topic=not/kept", "/api/status"};
        int[] expected = {200, 200, 404, 200, 200, 404, 200};
        try (Socket s = open()) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int i = 0; i < paths.length; i++) {
                all.write(request(paths[i], i == 4));
            }
            s.getOutputStream().write(all.toByteArray());
            s.getOutputStream().flush();
            List<Response> got = new ArrayList<>();
            for (int i = 0; i < paths.length; i++) {
                try {
                    got.add(Response.read(s.getInputStream(), i == 4));
                } catch (IOException e) {
                    throw new IOException("answer " + i + " to " + paths[i] + " after " + got, e);
                }
            }
            for (int i = 0; i < paths.length; i++) {
                assertThat(got.get(i).status).as("answer %d to %s", i, paths[i]).isEqualTo(expected[i]);
            }
            assertThat(pointsIn(got.get(0).text())).isEqualTo(POINTS);
            assertThat(got.get(1).text()).contains("\"version\"");
            assertThat(got.get(3).text()).contains("\"times\":[]");
            assertThat(got.get(4).body).as("HEAD has no body").isEmpty();
            assertThat(got.get(4).contentLength).isEqualTo(got.get(0).body.length);
            assertThat(got.get(6).text()).contains("\"version\"");
        }
    }

    @Test
    void twoPipeliningConnectionsHoldNoEventLoop() throws Exception {
        RoundTrips during = RoundTrips.start();
        Connects connects = Connects.start();
        byte[] burst;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < 200; i++) {
            b.write(request(FULL + "&n=" + i, false));
        }
        burst = b.toByteArray();
        List<Socket> attackers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Socket s = open();
            attackers.add(s);
            s.getOutputStream().write(burst);
            s.getOutputStream().flush();
        }
        // The attacker reads nothing for 3 s, then hangs up.
        Thread.sleep(3_000); // the attack's length: a measurement window, not a wait for a condition
        during.stop();
        for (Socket s : attackers) {
            s.close();
        }
        RoundTrips after = RoundTrips.start();
        Thread.sleep(3_000); // round trips measured for 3 s after the attackers hung up
        after.stop();
        connects.stop();
        during.print("MQTT round trip while two connections pipeline 200 full-history requests each");
        after.print("MQTT round trip after they closed");
        connects.print("MQTT connect during and after");
        assertThat(during.median()).as("median MQTT round trip (ms) while pipelined").isLessThan(100);
        assertThat(after.median()).as("median MQTT round trip (ms) after the attacker closed").isLessThan(100);
        assertThat(connects.failures.get()).as("MQTT connects that failed").isZero();
    }

    // --- helpers ---

    static MqttClient client(String id) throws Exception {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + mqttPort, id, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setConnectionTimeout(5);
        o.setMaxInflight(1000);
        o.setCleanSession(true);
        c.connect(o);
        return c;
    }

    static Socket open() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", httpPort), 5_000);
        s.setSoTimeout(30_000);
        return s;
    }

    static byte[] request(String path, boolean head) {
        return ((head ? "HEAD " : "GET ") + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    static Response get(String path) throws IOException {
        try (Socket s = open()) {
            s.getOutputStream().write(request(path, false));
            return Response.read(s.getInputStream());
        }
    }

    static int pointsIn(String json) {
        int start = json.indexOf("\"times\":[");
        int end = json.indexOf(']', start);
        if (start < 0 || end < 0) {
            return 0;
        }
        String times = json.substring(start + 9, end);
        return times.isEmpty() ? 0 : times.split(",").length;
    }

    /** One HTTP/1.1 response read off a socket (Content-Length bodies only, as Vane sends). */
    record Response(int status, Map<String, String> headers, int contentLength, byte[] body) {
        static Response read(InputStream in) throws IOException {
            return read(in, false);
        }

        static Response read(InputStream in, boolean head) throws IOException {
            String statusLine = line(in);
            if (statusLine == null) {
                throw new IOException("connection closed before a response");
            }
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            Map<String, String> headers = new java.util.HashMap<>();
            String l;
            while ((l = line(in)) != null && !l.isEmpty()) {
                int c = l.indexOf(':');
                headers.put(l.substring(0, c).trim().toLowerCase(Locale.ROOT), l.substring(c + 1).trim());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            // A HEAD answer carries the length of the body it leaves out.
            byte[] body = head ? new byte[0] : in.readNBytes(length);
            if (!head && body.length < length) {
                throw new IOException("body cut short");
            }
            return new Response(status, headers, length, body);
        }

        boolean retryAfter() {
            return headers.containsKey("retry-after");
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    String s = b.toString(StandardCharsets.US_ASCII);
                    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                }
                b.write(c);
            }
            return b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
        }
    }

    /**
     * Publishes to itself every 20 ms on a fixed schedule (a stalled broker does not slow the sampling)
     * and records how long each message took to come back; one that never came counts until stop().
     */
    static final class RoundTrips {
        final List<Long> millis = Collections.synchronizedList(new ArrayList<>());
        final Map<Integer, Long> pending = new ConcurrentHashMap<>();
        final AtomicBoolean running = new AtomicBoolean(true);
        Thread thread;
        MqttClient client;

        static RoundTrips start() throws Exception {
            RoundTrips r = new RoundTrips();
            r.client = client("rtt-" + System.nanoTime());
            String topic = "load/rtt/" + System.nanoTime();
            r.client.subscribe(topic, 0, (t, m) -> {
                Long sent = r.pending.remove(Integer.parseInt(new String(m.getPayload(), StandardCharsets.UTF_8)));
                if (sent != null) {
                    r.millis.add((System.nanoTime() - sent) / 1_000_000);
                }
            });
            r.thread = new Thread(() -> {
                int seq = 0;
                long next = System.nanoTime();
                while (r.running.get()) {
                    try {
                        int id = seq++;
                        r.pending.put(id, System.nanoTime());
                        r.client.publish(topic, Integer.toString(id).getBytes(StandardCharsets.UTF_8), 0, false);
                        next += TimeUnit.MILLISECONDS.toNanos(20);
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        // not connected or Paho's queue full: the pending entry counts as lost
                    }
                }
            }, "rtt");
            r.thread.setDaemon(true);
            r.thread.start();
            return r;
        }

        void stop() throws Exception {
            running.set(false);
            thread.join(10_000);
            // What is still on its way after half a second more counts with the time it has waited.
            long until = System.nanoTime() + 500_000_000L;
            while (!pending.isEmpty() && System.nanoTime() < until) {
                Thread.sleep(10); // bounded poll (deadline above) for the last answers
            }
            long now = System.nanoTime();
            for (Long sent : pending.values()) {
                millis.add((now - sent) / 1_000_000);
            }
            pending.clear();
            client.disconnectForcibly(1000);
            client.close();
        }

        int count() {
            return millis.size();
        }

        long median() {
            List<Long> s = sorted();
            return s.isEmpty() ? Long.MAX_VALUE : s.get(s.size() / 2);
        }

        List<Long> sorted() {
            List<Long> s;
            synchronized (millis) {
                s = new ArrayList<>(millis);
            }
            Collections.sort(s);
            return s;
        }

        void print(String what) {
            List<Long> s = sorted();
            if (s.isEmpty()) {
                System.out.println(what + ": no round trip measured");
                return;
            }
            List<Long> all;
            synchronized (millis) {
                all = new ArrayList<>(millis);
            }
            System.out.printf("%s: %d round trips, median %d ms, p90 %d ms, max %d ms, min %d ms; all (ms): %s%n",
                    what, s.size(), s.get(s.size() / 2), s.get(s.size() * 9 / 10), s.get(s.size() - 1), s.get(0),
                    all);
        }
    }

    /** What a connect may take and still count as a success (the issue saw them time out at 5 s). */
    static final long CONNECT_LIMIT_MILLIS = 2_000;

    /**
     * Connects a new MQTT client every 300 ms and records how long CONNECT to CONNACK took; one that
     * fails or takes longer than {@link #CONNECT_LIMIT_MILLIS} counts as failed.
     */
    static final class Connects {
        final List<Long> times = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger failures = new AtomicInteger();
        final AtomicBoolean running = new AtomicBoolean(true);
        /** nanoTime when the connect in progress began, 0 when none is. */
        final AtomicLong inProgress = new AtomicLong();
        Thread thread;

        static Connects start() {
            Connects c = new Connects();
            c.thread = new Thread(() -> {
                int n = 0;
                while (c.running.get()) {
                    long t0 = System.nanoTime();
                    c.inProgress.set(t0);
                    try {
                        MqttClient m = client("connect-probe-" + n++);
                        if (!c.inProgress.compareAndSet(t0, 0)) {
                            m.disconnectForcibly(1000);
                            m.close();
                            return; // stop() counted it already
                        }
                        long took = (System.nanoTime() - t0) / 1_000_000;
                        c.times.add(took);
                        if (took > CONNECT_LIMIT_MILLIS) {
                            c.failures.incrementAndGet();
                        }
                        m.disconnectForcibly(1000);
                        m.close();
                    } catch (Exception e) {
                        if (c.inProgress.compareAndSet(t0, 0)) {
                            c.failures.incrementAndGet();
                            c.times.add(-(System.nanoTime() - t0) / 1_000_000);
                        }
                    }
                    try {
                        Thread.sleep(300); // one connect every 300 ms: the probe's pacing
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "connects");
            c.thread.setDaemon(true);
            c.thread.start();
            return c;
        }

        /** Stops; a connect still waiting after a moment more counts as failed. */
        void stop() throws InterruptedException {
            running.set(false);
            thread.join(CONNECT_LIMIT_MILLIS);
            long t0 = inProgress.get();
            if (t0 != 0 && inProgress.compareAndSet(t0, 0)) {
                failures.incrementAndGet();
                times.add(-(System.nanoTime() - t0) / 1_000_000);
            }
        }

        void print(String what) {
            System.out.printf("%s: %d connects, %d failed or slower than %d ms; times (ms, negative = failed"
                    + " after): %s%n", what, times.size(), failures.get(), CONNECT_LIMIT_MILLIS, times);
        }
    }
}
