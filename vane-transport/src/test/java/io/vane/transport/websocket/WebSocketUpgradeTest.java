package io.vane.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.transport.ListenerConfig;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The HTTP/1.1 upgrade: subprotocols, paths, origins, proxies and requests that are refused. */
class WebSocketUpgradeTest {
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private TestServer start(ListenerConfig config) {
        server = new TestServer(config);
        return server;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mqtt", "mqttv3.1", "chat, mqttv3.1", "mqtt, mqttv3.1"})
    void answersWithTheMqttSubprotocolOffered(String offered) throws Exception {
        start(ListenerConfig.websockets(0));
        try (RawWebSocket ws = RawWebSocket.upgrade(server.port, offered)) {
            assertThat(ws.response().status()).isEqualTo(101);
            String expected = offered.contains("mqttv3.1") && !offered.startsWith("mqtt,") ? "mqttv3.1" : "mqtt";
            assertThat(ws.response().header("Sec-WebSocket-Protocol")).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/mqtt", "/", "/ws", "/some/deep/path?x=1"})
    void anyPathUpgrades(String path) throws Exception {
        start(ListenerConfig.websockets(0));
        try (RawWebSocket ws = RawWebSocket.upgrade(server.port, path, Map.of("Sec-WebSocket-Protocol", "mqtt"))) {
            assertThat(ws.response().status()).isEqualTo(101);
        }
    }

    @Test
    void unknownSubprotocolIsRefusedAndLoggedOnce() throws Exception {
        start(ListenerConfig.websockets(0));
        try (LogCapture log = new LogCapture("vane.websockets");
                RawWebSocket ws = RawWebSocket.upgrade(server.port, "chat")) {
            assertThat(ws.response().status()).isEqualTo(400);
            assertThat(ws.closedByServer()).isTrue();
            assertThat(log.count("refused with 400")).isEqualTo(1);
        }
    }

    @Test
    void originNotAllowedIs403() throws Exception {
        start(ListenerConfig.websockets(0).withAllowedOrigins(List.of("http://house.local:9001")));
        Map<String, String> evil = new LinkedHashMap<>();
        evil.put("Sec-WebSocket-Protocol", "mqtt");
        evil.put("Origin", "http://evil.example");
        try (RawWebSocket ws = RawWebSocket.upgrade(server.port, "/mqtt", evil)) {
            assertThat(ws.response().status()).isEqualTo(403);
            assertThat(ws.closedByServer()).isTrue();
        }
        Map<String, String> good = new LinkedHashMap<>(evil);
        good.put("Origin", "http://house.local:9001");
        try (RawWebSocket ws = RawWebSocket.upgrade(server.port, "/mqtt", good)) {
            assertThat(ws.response().status()).isEqualTo(101);
        }
        // Not a browser: no Origin, nothing to check.
        try (RawWebSocket ws = RawWebSocket.upgrade(server.port, "mqtt")) {
            assertThat(ws.response().status()).isEqualTo(101);
        }
    }

    @Test
    void garbageBeforeTheUpgradeIs400AndClosed() throws Exception {
        start(ListenerConfig.websockets(0));
        try (LogCapture log = new LogCapture("vane.websockets");
                RawWebSocket ws = new RawWebSocket("127.0.0.1", server.port)) {
            // A CONNECT packet sent to the WebSocket port as if it were plain MQTT.
            ws.writeRaw(new byte[] {0x10, 0x10, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x3c, 0, 0,
                    '\r', '\n', '\r', '\n'});
            assertThat(ws.readResponseHead().status()).isEqualTo(400);
            assertThat(ws.closedByServer()).isTrue();
            assertThat(log.count("not HTTP")).isEqualTo(1);
        }
    }

    /** RFC 9110 section 7.8: an upgrade the server does not do is ignored; the answer is HTTP/1.1. */
    @Test
    void nonWebSocketUpgradeIsAnsweredInHttp11() throws Exception {
        start(ListenerConfig.websockets(0));
        try (LogCapture log = new LogCapture("vane.websockets");
                RawWebSocket ws = new RawWebSocket("127.0.0.1", server.port)) {
            ws.writeRaw(("GET /mqtt HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings, close\r\n"
                    + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(ws.readResponseHead().status()).isEqualTo(404);
            assertThat(ws.closedByServer()).isTrue();
            assertThat(log.count("upgrade to h2c")).isEqualTo(1);
        }
        assertThat(server.addresses).isEmpty();
    }

    @Test
    void webSocketUpgradeWithPostIs400() throws Exception {
        start(ListenerConfig.websockets(0));
        try (RawWebSocket ws = new RawWebSocket("127.0.0.1", server.port)) {
            ws.writeRaw(("POST /mqtt HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\n"
                    + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(ws.readResponseHead().status()).isEqualTo(400);
            assertThat(ws.closedByServer()).isTrue();
        }
    }

    @Test
    void unsupportedWebSocketVersionIs426() throws Exception {
        start(ListenerConfig.websockets(0));
        try (RawWebSocket ws = RawWebSocket.upgrade(server.port, "/mqtt", Map.of("Sec-WebSocket-Version", "99"))) {
            assertThat(ws.response().status()).isEqualTo(426);
            assertThat(ws.response().header("Sec-WebSocket-Version")).isEqualTo("13");
            assertThat(ws.closedByServer()).isTrue();
        }
    }

    @Test
    void trustedProxyNamesTheClient() throws Exception {
        start(ListenerConfig.websockets(0).withTrustedProxies(List.of("127.0.0.1")));
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Sec-WebSocket-Protocol", "mqtt");
        h.put("X-Forwarded-For", "6.6.6.6, 192.0.2.7");
        try (RawWebSocket ws = RawWebSocket.upgrade(server.port, "/mqtt", h)) {
            assertThat(ws.response().status()).isEqualTo(101);
            assertThat(server.addresses.poll(5, TimeUnit.SECONDS)).isEqualTo("192.0.2.7");
        }
    }

    @Test
    void forwardedHeadersFromAnyoneElseAreIgnored() throws Exception {
        start(ListenerConfig.websockets(0));
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Sec-WebSocket-Protocol", "mqtt");
        h.put("X-Real-IP", "192.0.2.7");
        try (RawWebSocket ws = RawWebSocket.upgrade(server.port, "/mqtt", h)) {
            assertThat(ws.response().status()).isEqualTo(101);
            assertThat(server.addresses.poll(5, TimeUnit.SECONDS)).startsWith("127.0.0.1:");
        }
    }
}
