package io.vane.it.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.broker.Message;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.vane.transport.websocket.RawWebSocket;
import io.vane.transport.websocket.LogCapture;

/**
 * Browsers are not trusted peers: each kind of bad WebSocket client is closed or bounded and logged
 * once, while a well-behaved WebSocket client keeps receiving throughout.
 */
class WebSocketAbuseTest {
    static final int MAX_FRAME = 64 * 1024;
    private WsBroker broker;
    private MqttClient healthy;
    private final AtomicInteger healthyReceived = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        broker = new WsBroker(l -> l.withMaxFrameSize(MAX_FRAME));
        healthy = new MqttClient(broker.wsUri(), "healthy", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setMaxInflight(100);
        healthy.connect(o);
        healthy.subscribe("it/abuse/#", 1, (t, m) -> healthyReceived.incrementAndGet());
    }

    @AfterEach
    void stop() throws Exception {
        healthy.disconnect();
        broker.close();
    }

    private void assertHealthyStillReceives() throws Exception {
        int before = healthyReceived.get();
        broker.vane.broker().publish("it/abuse/ping", "still here", 1, false);
        awaitCount(healthyReceived, before + 1);
        assertThat(healthyReceived.get()).isEqualTo(before + 1);
    }

    private RawWebSocket connected(String clientId) throws Exception {
        RawWebSocket ws = RawWebSocket.upgrade(broker.wsPort(), "mqtt");
        assertThat(ws.response().status()).isEqualTo(101);
        ws.sendBinary(MqttBytes.connect(clientId, 0));
        RawWebSocket.Frame connack = ws.readFrame();
        assertThat(connack.payload()).containsExactly(0x20, 0x02, 0x00, 0x00);
        return ws;
    }

    @Test
    void garbageBeforeTheUpgrade() throws Exception {
        try (LogCapture log = new LogCapture("vane.websockets");
                RawWebSocket ws = new RawWebSocket("127.0.0.1", broker.wsPort())) {
            ws.writeRaw(MqttBytes.connect("tcp-on-ws-port", 0));
            ws.writeRaw("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(ws.readResponseHead().status()).isEqualTo(400);
            assertThat(ws.closedByServer()).isTrue();
            assertThat(log.count("not HTTP")).isEqualTo(1);
        }
        assertHealthyStillReceives();
    }

    @Test
    void nonWebSocketUpgrade() throws Exception {
        try (RawWebSocket ws = new RawWebSocket("127.0.0.1", broker.wsPort())) {
            ws.writeRaw("GET /mqtt HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, close\r\nUpgrade: h2c\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            // Ignored as RFC 9110 allows: an HTTP/1.1 answer, and no MQTT connection.
            assertThat(ws.readResponseHead().status()).isEqualTo(404);
            assertThat(ws.closedByServer()).isTrue();
        }
        assertHealthyStillReceives();
    }

    @Test
    void unknownSubprotocol() throws Exception {
        try (RawWebSocket ws = RawWebSocket.upgrade(broker.wsPort(), "stomp")) {
            assertThat(ws.response().status()).isEqualTo(400);
            assertThat(ws.closedByServer()).isTrue();
        }
        assertHealthyStillReceives();
    }

    /** [MQTT-6.0.0-1] */
    @Test
    void textFrameAfterConnect() throws Exception {
        try (LogCapture log = new LogCapture("vane.websockets"); RawWebSocket ws = connected("texter")) {
            ws.send(RawWebSocket.TEXT, true, "hello".getBytes(StandardCharsets.UTF_8));
            RawWebSocket.Frame close = ws.readFrame();
            assertThat(close.closeStatus()).isEqualTo(1003);
            assertThat(ws.closedByServer()).isTrue();
            assertThat(log.count("text frame")).isEqualTo(1);
        }
        assertHealthyStillReceives();
    }

    @Test
    void oversizeFrame() throws Exception {
        try (RawWebSocket ws = connected("oversize")) {
            byte[] frame = RawWebSocket.frame(RawWebSocket.BINARY, true, new byte[MAX_FRAME + 1], true);
            ws.writeRaw(Arrays.copyOf(frame, 14));
            RawWebSocket.Frame close = ws.readFrame();
            assertThat(close.closeStatus()).isEqualTo(1009);
            assertThat(ws.closedByServer()).isTrue();
        }
        assertHealthyStillReceives();
    }

    @Test
    void clientThatStopsReadingIsBoundedAndLoggedOnce() throws Exception {
        try (LogCapture log = new LogCapture("vane.broker"); RawWebSocket slow = connected("slow")) {
            slow.sendBinary(MqttBytes.subscribe(1, "it/abuse/flood", 0));
            assertThat(slow.readFrame().payload()).containsExactly(0x90, 0x03, 0x00, 0x01, 0x00);
            // From here on the slow client reads nothing.
            long droppedBefore = broker.vane.broker().stats().messagesDropped();
            byte[] payload = new byte[4096];
            MqttClient publisher = new MqttClient(broker.tcpUri(), "flood-publisher", new MemoryPersistence());
            MqttConnectOptions po = new MqttConnectOptions();
            // Paho Java frees an in-flight slot only after it wakes the publisher: leave room for that race.
            po.setMaxInflight(1000);
            publisher.connect(po);
            int before = healthyReceived.get();
            for (int i = 0; i < 10_000; i++) {
                publisher.publish("it/abuse/flood", payload, 1, false);
                if (i % 500 == 499) {
                    // Stay within the healthy client's max_queued_messages (1000): its losses would be
                    // the broker's queue policy, not the slow reader's doing.
                    awaitCount(healthyReceived, before + i + 1 - 500);
                }
            }
            publisher.disconnect();
            awaitCount(healthyReceived, before + 10_000);
            assertThat(healthyReceived.get() - before).isEqualTo(10_000);
            assertThat(broker.vane.broker().stats().messagesDropped()).isGreaterThan(droppedBefore);
            assertThat(log.count("Outgoing messages are being dropped for client slow.")).isEqualTo(1);
        }
        assertHealthyStillReceives();
    }

    @Test
    void publishedMessagesIgnoreTheBadOnes() throws Exception {
        for (int i = 0; i < 3; i++) {
            try (RawWebSocket ws = connected("flaky-" + i)) {
                ws.send(RawWebSocket.TEXT, true, new byte[] {'x'});
            }
            broker.vane.broker().publish(Message.of("it/abuse/x", new byte[] {1}, 1, false));
        }
        awaitCount(healthyReceived, 3);
        assertThat(healthyReceived.get()).isEqualTo(3);
    }

    static void awaitCount(AtomicInteger n, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (n.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
