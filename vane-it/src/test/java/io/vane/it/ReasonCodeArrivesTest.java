package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vane.app.Vane;
import io.vane.app.config.ConfigParser;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.ReasonCode;
import io.vane.protocol.codec.MqttDecoder;
import io.vane.protocol.codec.MqttEncoder;
import io.vane.protocol.packet.Connect;
import io.vane.protocol.packet.DecodeResult;
import io.vane.protocol.packet.Disconnect;
import io.vane.protocol.packet.MqttPacket;
import io.vane.protocol.packet.Publish;
import io.vane.testkit.RawClient;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that is still sending when Vane disconnects it reads the reason: 5,000 QoS 2 PUBLISHes (5 MB,
 * in one write) against a Receive Maximum of 10 end with DISCONNECT 0x93, over TCP and over WebSockets,
 * not with "connection reset" (the kernel's answer to closing a socket with unread bytes).
 */
class ReasonCodeArrivesTest {
    private static final int MESSAGES = 5000;

    @TempDir
    Path dir;

    private Vane start(int mqtt, int ws) throws Exception {
        Path conf = dir.resolve("vane.conf");
        Files.writeString(conf, "max_inflight_messages 10\nlistener " + mqtt + " 127.0.0.1\nlistener " + ws
                + " 127.0.0.1\nprotocol websockets\nallow_anonymous true\n");
        return Vane.start(new ConfigParser().withWorkingDirectory(dir).read(conf));
    }

    /** CONNECT (5.0) and then the flood, as one byte string. */
    private static byte[] connectAndFlood() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, new Connect(MqttVersion.V5, "flooder", true, 60, null, null, null, Properties.NONE));
        byte[] payload = new byte[1000];
        for (int i = 1; i <= MESSAGES; i++) {
            write(out, new Publish("flood/t", 2, false, false, i, Properties.NONE, Unpooled.wrappedBuffer(payload)));
        }
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, MqttPacket p) {
        ByteBuf b = MqttEncoder.encode(ByteBufAllocator.DEFAULT, p, MqttVersion.V5);
        out.writeBytes(ByteBufUtil.getBytes(b));
        b.release();
    }

    @Test
    void overTcp() throws Exception {
        int mqtt = VaneProcess.freePort();
        try (Vane vane = start(mqtt, VaneProcess.freePort()); RawClient c = RawClient.open("127.0.0.1", mqtt)) {
            c.send(new Connect(MqttVersion.V5, "flooder", true, 60, null, null, null, Properties.NONE));
            assertThat(c.read(Duration.ofSeconds(5))).isNotNull(); // CONNACK
            byte[] all = connectAndFlood();
            // The flood without its CONNECT: a second CONNECT would be a protocol error of its own.
            int connectLength = (all[1] & 0xFF) + 2;
            c.send(java.util.Arrays.copyOfRange(all, connectLength, all.length));
            MqttPacket last = null;
            for (int i = 0; i < MESSAGES + 1; i++) {
                MqttPacket p = c.read(Duration.ofSeconds(5));
                if (p == null) {
                    break;
                }
                last = p;
                if (p instanceof Disconnect) {
                    break;
                }
            }
            assertThat(last).as("the last packet read before the connection ended").isInstanceOf(Disconnect.class);
            assertThat(((Disconnect) last).reasonCode()).isEqualTo(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED);
        }
    }

    @Test
    void overWebSockets() throws Exception {
        int ws = VaneProcess.freePort();
        try (Vane vane = start(VaneProcess.freePort(), ws)) {
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("mqtt")
                    .buildAsync(URI.create("ws://127.0.0.1:" + ws + "/mqtt"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                            byte[] b = new byte[data.remaining()];
                            data.get(b);
                            synchronized (received) {
                                received.writeBytes(b);
                            }
                            w.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
                            closed.complete(status);
                            return null;
                        }

                        @Override
                        public void onError(WebSocket w, Throwable error) {
                            closed.complete(-1);
                        }
                    }).get(5, TimeUnit.SECONDS);
            socket.sendBinary(ByteBuffer.wrap(connectAndFlood()), true);
            closed.get(15, TimeUnit.SECONDS);
            byte[] bytes;
            synchronized (received) {
                bytes = received.toByteArray();
            }
            MqttDecoder decoder = new MqttDecoder(1 << 20);
            decoder.setVersion(MqttVersion.V5);
            ByteBuf in = Unpooled.wrappedBuffer(bytes);
            MqttPacket last = null;
            DecodeResult r;
            while ((r = decoder.decode(in)) != null) {
                assertThat(r).isInstanceOf(MqttPacket.class);
                last = (MqttPacket) r;
            }
            assertThat(last).as("the last packet before the close frame").isInstanceOf(Disconnect.class);
            assertThat(((Disconnect) last).reasonCode()).isEqualTo(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED);
            assertThat(closed.get()).as("a close frame, not an error").isEqualTo(1000);
        }
    }
}
