package io.vane.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AttributeKey;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One deadline per accepted connection, counted from the accept: the TLS handshake, the WebSocket
 * upgrade and the MQTT CONNECT must all be done by then, however the bytes are paced (a CONNECT
 * dribbled one byte at a time is closed at the deadline, not held). Cancelled when CONNECT is accepted
 * ({@link MqttConnectionHandler#setKeepAlive}), when the connection closes, or on a websockets
 * listener when the first request is plain HTTP (the HTTP idle timeout takes over). Decision 0008.
 */
final class ConnectDeadline {
    private static final Logger LOG = LoggerFactory.getLogger("vane.transport");
    /** connect_timeout when not configured, in seconds. */
    static final int DEFAULT_SECONDS = 20;
    private static final AttributeKey<ScheduledFuture<?>> KEY = AttributeKey.valueOf("vane.connectDeadline");

    private ConnectDeadline() {
    }

    /** Starts the clock for a connection just accepted. */
    static void arm(Channel ch, int seconds) {
        ScheduledFuture<?> f = ch.eventLoop().schedule(() -> expire(ch, seconds), seconds, TimeUnit.SECONDS);
        ch.attr(KEY).set(f);
        ch.closeFuture().addListener(x -> cancel(ch));
    }

    /** CONNECT accepted (or the connection is plain HTTP): no deadline any more. */
    static void cancel(Channel ch) {
        ScheduledFuture<?> f = ch.attr(KEY).getAndSet(null);
        if (f != null) {
            f.cancel(false);
        }
    }

    private static void expire(Channel ch, int seconds) {
        if (ch.attr(KEY).getAndSet(null) == null || !ch.isActive()) {
            return;
        }
        MqttConnectionHandler mqtt = ch.pipeline().get(MqttConnectionHandler.class);
        expired(ch, mqtt == null ? "<unknown>" : mqtt.clientIdForLog(), seconds);
    }

    /** The deadline passed with no CONNECT accepted: says so and closes. */
    static void expired(Channel ch, String clientId, int seconds) {
        LOG.info("Client {} from {} did not complete CONNECT within {} s, closing.", clientId, ClientAddress.of(ch),
                seconds);
        ch.close();
    }

    /**
     * On a websockets listener, after the HTTP aggregator: the first request decides. An upgrade keeps
     * the deadline (CONNECT must still come in time); a plain HTTP request (the dashboard) ends it.
     */
    @ChannelHandler.Sharable
    static final class FirstHttpRequest extends ChannelInboundHandlerAdapter {
        static final FirstHttpRequest INSTANCE = new FirstHttpRequest();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest req) {
                if (!req.headers().contains(HttpHeaderNames.UPGRADE)) {
                    cancel(ctx.channel());
                }
                ctx.pipeline().remove(this);
            }
            ctx.fireChannelRead(msg);
        }
    }
}
