package io.vane.it.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.codec.MqttDecoder;
import io.vane.protocol.codec.MqttEncoder;
import io.vane.protocol.packet.Connect;
import io.vane.protocol.packet.DecodeResult;
import io.vane.protocol.packet.MalformedPacket;
import io.vane.protocol.packet.MqttPacket;
import io.vane.protocol.packet.Publish;
import io.vane.protocol.packet.Subscribe;
import io.vane.protocol.packet.Subscription;
import io.vane.testkit.RawClient;
import io.vane.transport.websocket.RawWebSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * One client id moving between TCP and WebSocket and between 3.1.1 and 5.0 while a publisher fans
 * out: every packet each connection receives parses in that connection's own wire format (a takeover
 * must never hand a connection bytes encoded for the one it replaced).
 */
class TransportSwitchTest {
    private static final int SWITCHES = Integer.getInteger("vane.switch.rounds", 80);

    private static byte[] bytes(MqttPacket p, MqttVersion v) {
        ByteBuf b = MqttEncoder.encode(ByteBufAllocator.DEFAULT, p, v);
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    @Test
    void everyPacketParsesInTheReceivingConnectionsOwnFormat() throws Exception {
        List<String> problems = new ArrayList<>();
        AtomicLong received = new AtomicLong();
        try (WsBroker broker = new WsBroker(); RawClient publisher = RawClient.open("127.0.0.1", broker.tcpPort())) {
            publisher.connect(MqttVersion.V3_1_1, "fan-out");
            AtomicBoolean running = new AtomicBoolean(true);
            Thread fan = new Thread(() -> {
                byte[] payload = "{\"outTemp_F\": \"50.0\"}".getBytes();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                for (int i = 0; i < 2_000_000 && running.get() && System.nanoTime() < deadline; i++) {
                    publisher.send(new Publish("switch/t", 0, false, false, 0, Properties.NONE,
                            Unpooled.wrappedBuffer(payload)));
                }
            }, "fan-out");
            fan.start();
            try {
                for (int round = 0; round < SWITCHES && problems.isEmpty(); round++) {
                    MqttVersion v = round % 2 == 0 ? MqttVersion.V3_1_1 : MqttVersion.V5;
                    boolean webSocket = (round / 2) % 2 == 1;
                    Connect connect = new Connect(v, "switcher", false, 60, null, null, null,
                            v == MqttVersion.V5 ? Properties.builder().sessionExpiryInterval(300L).build()
                                    : Properties.NONE);
                    Subscribe subscribe = new Subscribe(1, List.of(Subscription.of("switch/t", 0)), Properties.NONE);
                    String where = "round " + round + " (" + v + (webSocket ? ", websocket" : ", tcp") + ")";
                    if (webSocket) {
                        readOverWebSocket(broker, v, connect, subscribe, where, problems, received);
                    } else {
                        readOverTcp(broker, v, connect, subscribe, where, problems, received);
                    }
                }
            } finally {
                running.set(false);
                fan.join(10_000);
            }
        }
        assertThat(problems).isEmpty();
        assertThat(received.get()).as("messages arrived while switching").isPositive();
    }

    /** Reads 200 packets (or for up to 2 s) and checks each one parses for {@code v}. */
    private static void readOverTcp(WsBroker broker, MqttVersion v, Connect connect, Subscribe subscribe, String where,
            List<String> problems, AtomicLong received) {
        try (RawClient c = RawClient.open("127.0.0.1", broker.tcpPort())) {
            c.send(connect);
            c.send(subscribe);
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            for (int i = 0; i < 200 && System.nanoTime() < deadline; i++) {
                MqttPacket p;
                try {
                    p = c.read(Duration.ofSeconds(2));
                } catch (AssertionError unparsable) {
                    problems.add(where + ": " + unparsable.getMessage());
                    return;
                }
                if (p == null) {
                    return; // taken over or timed out: the next round goes on
                }
                release(p, received);
            }
        }
    }

    private static void readOverWebSocket(WsBroker broker, MqttVersion v, Connect connect, Subscribe subscribe,
            String where, List<String> problems, AtomicLong received) throws Exception {
        try (RawWebSocket ws = RawWebSocket.upgrade(broker.wsPort(), "mqtt")) {
            ws.socket().setSoTimeout(2000);
            ws.sendBinary(bytes(connect, v));
            ws.sendBinary(bytes(subscribe, v));
            MqttDecoder decoder = new MqttDecoder(Integer.MAX_VALUE);
            decoder.setVersion(v);
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            for (int i = 0; i < 200 && System.nanoTime() < deadline; i++) {
                RawWebSocket.Frame frame;
                try {
                    frame = ws.readFrame();
                } catch (SocketTimeoutException | java.io.EOFException gone) {
                    return;
                }
                if (frame == null || frame.opcode() == RawWebSocket.CLOSE) {
                    return;
                }
                if (frame.opcode() != RawWebSocket.BINARY) {
                    problems.add(where + ": frame with opcode " + frame.opcode());
                    return;
                }
                DecodeResult r = decoder.decode(Unpooled.wrappedBuffer(frame.payload()));
                if (r instanceof MalformedPacket bad) {
                    problems.add(where + ": " + bad + " in " + ByteBufUtil.hexDump(frame.payload(), 0,
                            Math.min(16, frame.payload().length)));
                    return;
                }
                release((MqttPacket) r, received);
            }
        }
    }

    private static void release(MqttPacket p, AtomicLong received) {
        if (p instanceof Publish pub) {
            pub.payload().release();
            received.incrementAndGet();
        }
    }
}
