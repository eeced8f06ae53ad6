package io.vane.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.transport.ListenerConfig;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Frames after the upgrade: bytes pass through unchanged whatever the framing (MQTT 5.0 section 6.0),
 * control frames are answered, and frames MQTT does not allow close the connection with the right status.
 */
class WebSocketFrameTest {
    private TestServer server;

    @BeforeEach
    void start() {
        server = new TestServer(ListenerConfig.websockets(0).withMaxFrameSize(1024));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RawWebSocket open() throws Exception {
        RawWebSocket ws = RawWebSocket.upgrade(server.port, "mqtt");
        assertThat(ws.response().status()).isEqualTo(101);
        return ws;
    }

    private void awaitReceived(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.received().length < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    @Test
    void binaryFrameBytesReachTheDecoderAndRepliesAreBinaryFrames() throws Exception {
        try (RawWebSocket ws = open()) {
            byte[] pingreq = {(byte) 0xC0, 0x00};
            ws.sendBinary(pingreq);
            RawWebSocket.Frame echo = ws.readFrame();
            assertThat(echo.opcode()).isEqualTo(RawWebSocket.BINARY);
            assertThat(echo.payload()).containsExactly(pingreq);
        }
    }

    @Test
    void aPacketSplitAcrossFramesAndContinuationsArrivesWhole() throws Exception {
        byte[] connect = {0x10, 0x0c, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x3c, 0x00, 0x00};
        try (RawWebSocket ws = open()) {
            // One packet over two messages, the second fragmented into a binary and a continuation frame.
            ws.send(RawWebSocket.BINARY, true, java.util.Arrays.copyOfRange(connect, 0, 3));
            ws.send(RawWebSocket.BINARY, false, java.util.Arrays.copyOfRange(connect, 3, 9));
            ws.send(RawWebSocket.CONTINUATION, true, java.util.Arrays.copyOfRange(connect, 9, connect.length));
            awaitReceived(connect.length);
            assertThat(server.received()).containsExactly(connect);
        }
    }

    @Test
    void severalPacketsInOneFrameArriveInOrder() throws Exception {
        ByteArrayOutputStream three = new ByteArrayOutputStream();
        three.writeBytes(new byte[] {(byte) 0xC0, 0x00});
        three.writeBytes(new byte[] {0x30, 0x05, 0x00, 0x01, 't', 'h', 'i'});
        three.writeBytes(new byte[] {(byte) 0xE0, 0x00});
        try (RawWebSocket ws = open()) {
            ws.sendBinary(three.toByteArray());
            awaitReceived(three.size());
            assertThat(server.received()).containsExactly(three.toByteArray());
        }
    }

    @Test
    void pingIsAnsweredWithPong() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(RawWebSocket.PING, true, "hi".getBytes(StandardCharsets.US_ASCII));
            RawWebSocket.Frame pong = ws.readFrame();
            assertThat(pong.opcode()).isEqualTo(RawWebSocket.PONG);
            assertThat(new String(pong.payload(), StandardCharsets.US_ASCII)).isEqualTo("hi");
        }
    }

    @Test
    void closeIsEchoedWithItsStatus() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(RawWebSocket.CLOSE, true, new byte[] {0x03, (byte) 0xE8});
            RawWebSocket.Frame close = ws.readFrame();
            assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
            assertThat(close.closeStatus()).isEqualTo(1000);
            assertThat(ws.closedByServer()).isTrue();
        }
    }

    /** [MQTT-6.0.0-1]: a data frame that is not binary closes the connection. */
    @Test
    void mqtt_6_0_0_1_textFrameCloses1003() throws Exception {
        try (LogCapture log = new LogCapture("vane.websockets"); RawWebSocket ws = open()) {
            ws.send(RawWebSocket.TEXT, true, "{\"hello\":1}".getBytes(StandardCharsets.UTF_8));
            RawWebSocket.Frame close = ws.readFrame();
            assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
            assertThat(close.closeStatus()).isEqualTo(1003);
            assertThat(ws.socket().getInputStream().read()).isEqualTo(-1);
            assertThat(log.count("text frame")).isEqualTo(1);
        }
        assertThat(server.received()).isEmpty();
    }

    @Test
    void oversizeFrameCloses1009BeforeItsPayloadIsBuffered() throws Exception {
        try (LogCapture log = new LogCapture("vane.websockets"); RawWebSocket ws = open()) {
            byte[] frame = RawWebSocket.frame(RawWebSocket.BINARY, true, new byte[4096], true);
            // Only the header: the limit is checked on the announced length.
            ws.writeRaw(java.util.Arrays.copyOf(frame, 8));
            RawWebSocket.Frame close = ws.readFrame();
            assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
            assertThat(close.closeStatus()).isEqualTo(1009);
            // Exactly one close frame, then the end of the stream.
            assertThat(ws.socket().getInputStream().read()).isEqualTo(-1);
            awaitLog(log, "bad frame");
            assertThat(log.count("bad frame")).isEqualTo(1);
        }
    }

    /** RFC 6455 section 7.1.2: the server that ends the connection says so with a close frame. */
    @Test
    void serverInitiatedCloseSendsCloseFrame1000() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.sendBinary(new byte[] {(byte) 0xE0, 0x00});
            RawWebSocket.Frame close = ws.readFrame();
            assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
            assertThat(close.closeStatus()).isEqualTo(1000);
            assertThat(ws.socket().getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void unmaskedClientFrameCloses1002() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.writeRaw(RawWebSocket.frame(RawWebSocket.BINARY, true, new byte[] {(byte) 0xC0, 0}, false));
            RawWebSocket.Frame close = ws.readFrame();
            assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
            assertThat(close.closeStatus()).isEqualTo(1002);
            assertThat(ws.socket().getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void continuationWithoutAStartCloses1002() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(RawWebSocket.CONTINUATION, true, new byte[] {(byte) 0xC0, 0});
            RawWebSocket.Frame close = ws.readFrame();
            assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
            assertThat(close.closeStatus()).isEqualTo(1002);
        }
    }

    private static void awaitLog(LogCapture log, String fragment) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (log.count(fragment) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }
}
