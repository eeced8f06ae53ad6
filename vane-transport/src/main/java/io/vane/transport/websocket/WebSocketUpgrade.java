package io.vane.transport.websocket;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.vane.transport.ClientAddress;
import io.vane.transport.http.HttpResponses;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an HTTP/1.1 upgrade request into an MQTT-over-WebSocket connection (MQTT 5.0 section 6), or
 * refuses it with one log line: a browser Origin not allowed (403), subprotocols offered but neither
 * {@code mqtt} nor {@code mqttv3.1} (400), an unsupported WebSocket version (426). Any request path is
 * accepted, as in Mosquitto. Thread-safe; shared by all connections of a listener.
 */
final class WebSocketUpgrade {
    private static final Logger LOG = LoggerFactory.getLogger("vane.websockets");
    /** [MQTT-6.0.0-3] names "mqtt"; 3.1 clients (and Paho JS in 3.1 mode) ask for "mqttv3.1". */
    static final List<String> SUBPROTOCOLS = List.of("mqtt", "mqttv3.1");

    private final List<String> allowedOrigins;
    private final WebSocketDecoderConfig decoderConfig;
    private final Consumer<ChannelPipeline> mqttTail;

    /**
     * @param mqttTail adds the MQTT decoder and connection handler at the end of a pipeline, as for TCP
     */
    WebSocketUpgrade(List<String> allowedOrigins, int maxFramePayload, Consumer<ChannelPipeline> mqttTail) {
        this.allowedOrigins = allowedOrigins;
        this.decoderConfig = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(maxFramePayload)
                .expectMaskedFrames(true)
                .allowExtensions(false)
                .closeOnProtocolViolation(true)
                .build();
        this.mqttTail = mqttTail;
    }

    /**
     * Whether the request asks for WebSocket. Other upgrades (curl's and the JDK client's {@code h2c})
     * are not refused but ignored, as RFC 9110 section 7.8 allows: they get an HTTP/1.1 answer.
     */
    static boolean isUpgrade(FullHttpRequest req) {
        String upgrade = req.headers().get(HttpHeaderNames.UPGRADE);
        return upgrade != null && "websocket".equals(upgrade.trim().toLowerCase(Locale.ROOT));
    }

    /** Upgrades or refuses; on success the HTTP handlers are gone and MQTT runs from the next frame. */
    void upgrade(ChannelHandlerContext ctx, FullHttpRequest req) {
        String who = ClientAddress.of(ctx.channel());
        if (!HttpMethod.GET.equals(req.method())) {
            refuse(ctx, req, HttpResponseStatus.BAD_REQUEST, who, "WebSocket upgrade with " + req.method());
            return;
        }
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && !allowedOrigins.isEmpty() && !allowedOrigins.contains(origin)) {
            refuse(ctx, req, HttpResponseStatus.FORBIDDEN, who, "origin " + origin + " not allowed");
            return;
        }
        String offered = req.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
        if (offered != null && !offersMqtt(offered)) {
            refuse(ctx, req, HttpResponseStatus.BAD_REQUEST, who, "subprotocol " + offered + " is not mqtt");
            return;
        }
        String url = "ws://" + req.headers().get(HttpHeaderNames.HOST, "localhost") + req.uri();
        WebSocketServerHandshakerFactory factory = new WebSocketServerHandshakerFactory(url,
                String.join(",", SUBPROTOCOLS), decoderConfig);
        WebSocketServerHandshaker handshaker = factory.newHandshaker(req);
        if (handshaker == null) {
            LOG.info("WebSocket upgrade from {} refused: unsupported version {}.", who,
                    req.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION));
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel())
                    .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
            return;
        }
        try {
            handshaker.handshake(ctx.channel(), req);
        } catch (RuntimeException e) {
            refuse(ctx, req, HttpResponseStatus.BAD_REQUEST, who, e.getMessage());
            return;
        }
        LOG.debug("WebSocket upgrade from {} for {} with subprotocol {}.", who, req.uri(),
                handshaker.selectedSubprotocol());
        // The client may send frames as soon as it reads the 101, so MQTT is in place before the
        // next read; Netty has already swapped the HTTP codec for the WebSocket one.
        ChannelPipeline p = ctx.pipeline();
        p.remove(WebSocketPipeline.HTTP_IDLE);
        WebSocketFrameAdapter adapter = new WebSocketFrameAdapter();
        if (p.get("wsdecoder") != null) {
            p.addBefore("wsdecoder", "ws-close-watch", adapter.closeWatch());
        }
        p.addLast("ws-adapter", adapter);
        mqttTail.accept(p);
        p.remove(ctx.handler());
        p.context("ws-adapter").fireChannelActive();
    }

    private static boolean offersMqtt(String header) {
        for (String token : header.split(",")) {
            if (SUBPROTOCOLS.contains(token.trim())) {
                return true;
            }
        }
        return false;
    }

    private static void refuse(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status,
            String who, String why) {
        LOG.info("WebSocket upgrade from {} refused with {}: {}.", who, status.code(), why);
        HttpResponses.error(ctx, req, status, true);
    }
}
