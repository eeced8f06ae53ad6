package io.vane.transport.websocket;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.vane.transport.ListenerConfig;
import io.vane.transport.http.HttpEndpoints;
import java.util.function.Consumer;

/**
 * The handlers in front of the MQTT decoder on a websockets listener: HTTP/1.1 first, then, after an
 * upgrade, WebSocket frames translated to bytes. Everything behind them is the same as for TCP.
 */
public final class WebSocketPipeline extends ChannelInitializer<SocketChannel> {
    static final String HTTP_IDLE = "http-idle";
    /** Seconds an HTTP connection may sit without a request (before any upgrade). */
    static final int HTTP_IDLE_SECONDS = 30;
    /** Requests carry no body worth having: GET, HEAD and the upgrade. */
    static final int MAX_REQUEST_BYTES = 8 * 1024;

    private final ListenerConfig listener;
    private final WebSocketUpgrade upgrade;
    private final HttpEndpoints http;

    /**
     * @param maxFramePayload largest frame accepted (1009 above it)
     * @param mqttTail adds the MQTT decoder and connection handler at the end of the pipeline
     */
    public WebSocketPipeline(ListenerConfig listener, int maxFramePayload, HttpEndpoints http,
            Consumer<ChannelPipeline> mqttTail) {
        this.listener = listener;
        this.http = http;
        this.upgrade = new WebSocketUpgrade(listener.allowedOrigins(), maxFramePayload, mqttTail);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast(HTTP_IDLE, new IdleStateHandler(HTTP_IDLE_SECONDS, 0, 0));
        p.addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(4096)
                .setMaxHeaderSize(8192)
                .setMaxChunkSize(8192)));
        p.addLast("http-aggregator", new HttpObjectAggregator(MAX_REQUEST_BYTES));
        p.addLast("http-gate", new HttpGate(upgrade, http, listener.trustedProxies()));
    }
}
