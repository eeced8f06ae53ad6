package io.vane.it.ws;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.codec.MqttEncoder;
import io.vane.protocol.packet.Connect;
import io.vane.protocol.packet.MqttPacket;
import io.vane.protocol.packet.PubAck;
import io.vane.protocol.packet.Publish;
import io.vane.protocol.packet.Subscribe;
import io.vane.protocol.packet.Subscription;
import io.vane.testkit.Poll;
import io.vane.testkit.RawClient;
import io.vane.transport.websocket.RawWebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Sixteen connections fight over three client ids, over TCP and WebSocket, 3.1.1 and 5.0 (some with a
 * Maximum Packet Size smaller than part of the traffic), while QoS 1 messages of mixed sizes flow to
 * them: no exception is logged anywhere, and afterwards each client id has one session whose
 * subscription still routes.
 */
class TakeoverStormTest {
    private static final String[] IDS = {"storm-a", "storm-b", "storm-c"};
    private static final int FIGHTERS = 16;
    private static final int CONNECTS_EACH = Integer.getInteger("vane.storm.connects", 40);

    /** A write to a peer that already hung up, as the transport logs it. */
    private static final java.util.regex.Pattern PEER_GONE =
            java.util.regex.Pattern.compile("socket error, closing: \\S*IoException: \\S+ failed with error\\(-(32|104)\\)");

    private static byte[] bytes(MqttPacket p, MqttVersion v) {
        ByteBuf b = MqttEncoder.encode(ByteBufAllocator.DEFAULT, p, v);
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    private static Connect connect(MqttVersion v, String id, Random random) {
        Properties props = Properties.NONE;
        if (v == MqttVersion.V5) {
            Properties.Builder b = Properties.builder().sessionExpiryInterval(300L);
            if (random.nextBoolean()) {
                b.maximumPacketSize(200L); // smaller than the large messages: they are skipped on resend
            }
            if (random.nextBoolean()) {
                b.receiveMaximum(2);
            }
            props = b.build();
        }
        return new Connect(v, id, false, 60, null, null, null, props);
    }

    @Test
    void aTakeoverStormLogsNoExceptionAndLeavesOneWorkingSessionPerClientId() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        root.addAppender(events);
        AtomicInteger attached = new AtomicInteger();
        try (WsBroker broker = new WsBroker(); RawClient publisher = RawClient.open("127.0.0.1", broker.tcpPort())) {
            publisher.connect(MqttVersion.V3_1_1, "storm-publisher");
            AtomicBoolean running = new AtomicBoolean(true);
            Thread pub = new Thread(() -> {
                byte[] small = "{\"t\":1}".getBytes();
                byte[] large = new byte[600];
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                for (int i = 0; i < 500_000 && running.get() && System.nanoTime() < deadline; i++) {
                    int id = 1 + i % 60_000;
                    publisher.send(new Publish("storm/t", 1, false, false, id, Properties.NONE,
                            Unpooled.wrappedBuffer(i % 3 == 0 ? large : small)));
                    MqttPacket ack = publisher.read(Duration.ofSeconds(5));
                    if (ack == null) {
                        return;
                    }
                }
            }, "storm-publisher");
            pub.start();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> fighters = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int f = 0; f < FIGHTERS; f++) {
                Random random = new Random(f);
                Thread t = new Thread(() -> {
                    try {
                        start.await();
                        for (int n = 0; n < CONNECTS_EACH; n++) {
                            String id = IDS[random.nextInt(IDS.length)];
                            MqttVersion v = random.nextBoolean() ? MqttVersion.V5 : MqttVersion.V3_1_1;
                            if (random.nextBoolean()) {
                                fightOverWebSocket(broker, v, connect(v, id, random), random, attached);
                            } else {
                                fightOverTcp(broker, v, connect(v, id, random), random, attached);
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "fighter-" + f);
                t.start();
                fighters.add(t);
            }
            start.countDown();
            for (Thread t : fighters) {
                t.join(120_000);
            }
            running.set(false);
            pub.join(10_000);
            assertThat(failures).isEmpty();

            // Afterwards each id resumes one session and its subscription still routes.
            List<RawClient> finals = new ArrayList<>();
            try {
                for (String id : IDS) {
                    RawClient c = RawClient.open("127.0.0.1", broker.tcpPort());
                    finals.add(c);
                    assertThat(c.connect(MqttVersion.V5, id, false, 60,
                            Properties.builder().sessionExpiryInterval(300L).build()).reasonCode()).isZero();
                }
                try (RawClient marker = RawClient.open("127.0.0.1", broker.tcpPort())) {
                    marker.connect(MqttVersion.V3_1_1, "storm-marker");
                    marker.send(new Publish("storm/t", 0, false, false, 0, Properties.NONE,
                            Unpooled.wrappedBuffer("end".getBytes())));
                    for (RawClient c : finals) {
                        assertThat(awaitPayload(c, "end")).as("subscription survived the storm").isTrue();
                    }
                }
            } finally {
                finals.forEach(RawClient::close);
            }
        } finally {
            root.detachAppender(events);
        }
        List<String> problems = new ArrayList<>();
        synchronized (events) {
            for (ILoggingEvent e : events.list) {
                String m = e.getFormattedMessage();
                if (PEER_GONE.matcher(m).find()) {
                    continue; // the client closed first (the fighters hang up at once): not the broker's fault
                }
                if (e.getThrowableProxy() != null || m.contains("Exception") || m.contains("Error")) {
                    problems.add(e.getLevel() + " " + e.getLoggerName() + ": " + m
                            + (e.getThrowableProxy() != null ? " / " + e.getThrowableProxy().getClassName() : ""));
                }
            }
        }
        assertThat(problems).as("log lines with an exception").isEmpty();
        assertThat(attached.get()).as("connections that got a CONNACK during the storm").isPositive();
    }

    /** Reads the final connection's packets until a PUBLISH with {@code payload}, acknowledging QoS 1 resends. */
    private static boolean awaitPayload(RawClient c, String payload) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            MqttPacket p = c.read(Duration.ofSeconds(5));
            if (p == null) {
                return false;
            }
            if (p instanceof Publish pub) {
                boolean match = pub.payload().toString(java.nio.charset.StandardCharsets.UTF_8).equals(payload);
                pub.payload().release();
                if (pub.qos() == 1) {
                    c.send(new PubAck(pub.packetId(), 0, Properties.NONE));
                }
                if (match) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void fightOverTcp(WsBroker broker, MqttVersion v, Connect connect, Random random,
            AtomicInteger attached) {
        try (RawClient c = RawClient.open("127.0.0.1", broker.tcpPort())) {
            fightOn(c, connect, random, attached);
        } catch (IllegalStateException sendFailed) {
            // taken over between two packets: the broker closed this connection
        }
    }

    private static void fightOn(RawClient c, Connect connect, Random random, AtomicInteger attached) {
        {
            c.send(connect);
            c.send(new Subscribe(1, List.of(Subscription.of("storm/#", 1)), Properties.NONE));
            int reads = random.nextInt(30);
            for (int i = 0; i < reads; i++) {
                MqttPacket p = c.read(Duration.ofMillis(500));
                if (p == null) {
                    return; // taken over
                }
                if (i == 0) {
                    attached.incrementAndGet();
                }
                if (p instanceof Publish pub) {
                    pub.payload().release();
                    if (pub.qos() == 1 && random.nextBoolean()) {
                        c.send(new PubAck(pub.packetId(), 0, Properties.NONE));
                    }
                }
            }
        }
    }

    private static void fightOverWebSocket(WsBroker broker, MqttVersion v, Connect connect, Random random,
            AtomicInteger attached) throws Exception {
        try (RawWebSocket ws = RawWebSocket.upgrade(broker.wsPort(), "mqtt")) {
            ws.socket().setSoTimeout(500);
            try {
                ws.sendBinary(bytes(connect, v));
                ws.sendBinary(bytes(new Subscribe(1, List.of(Subscription.of("storm/#", 1)), Properties.NONE), v));
            } catch (java.io.IOException gone) {
                return;
            }
            int reads = random.nextInt(30);
            for (int i = 0; i < reads; i++) {
                RawWebSocket.Frame frame;
                try {
                    frame = ws.readFrame();
                } catch (java.net.SocketTimeoutException | java.io.EOFException | java.net.SocketException gone) {
                    return;
                }
                if (frame == null || frame.opcode() == RawWebSocket.CLOSE) {
                    return;
                }
                if (i == 0) {
                    attached.incrementAndGet();
                }
            }
        }
    }
}
