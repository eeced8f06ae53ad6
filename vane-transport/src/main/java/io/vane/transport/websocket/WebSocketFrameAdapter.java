package io.vane.transport.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.vane.transport.ClientAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Translates between WebSocket frames and the byte stream the MQTT decoder reads, and nothing else:
 * the payload of every binary and continuation frame is passed on as it is, so a packet may span
 * frames and a frame may hold several packets (MQTT 5.0 section 6.0). Outbound bytes become one
 * binary frame per write. Control frames are answered here.
 *
 * <p>[MQTT-6.0.0-1]: a data frame that is not binary closes the connection (status 1003).
 */
public final class WebSocketFrameAdapter extends ChannelDuplexHandler {
    static final Logger LOG = LoggerFactory.getLogger("vane.websockets");

    private boolean closing;
    private final CloseFrameWatch closeWatch = new CloseFrameWatch();

    /**
     * Sees every frame written towards the socket, including the close frame Netty's decoder sends on
     * a protocol violation (that one does not pass this adapter), so no second close frame follows it.
     * Sits between the WebSocket encoder and decoder.
     */
    static final class CloseFrameWatch extends ChannelOutboundHandlerAdapter {
        boolean sent;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof CloseWebSocketFrame) {
                sent = true;
            }
            ctx.write(msg, promise);
        }
    }

    /** The handler to put between the WebSocket encoder and decoder, see {@link CloseFrameWatch}. */
    ChannelOutboundHandlerAdapter closeWatch() {
        return closeWatch;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame) {
            ByteBuf content = ((WebSocketFrame) msg).content();
            if (content.isReadable()) {
                ctx.fireChannelRead(content);
            } else {
                content.release();
            }
        } else if (msg instanceof PingWebSocketFrame ping) {
            ctx.writeAndFlush(new PongWebSocketFrame(ping.content()));
        } else if (msg instanceof PongWebSocketFrame pong) {
            pong.release();
        } else if (msg instanceof CloseWebSocketFrame close) {
            // RFC 6455 section 5.5.1: answer a close with a close carrying the same status, then end.
            int status = close.statusCode();
            close.release();
            closing = true;
            CloseWebSocketFrame reply = status < 0 ? new CloseWebSocketFrame()
                    : new CloseWebSocketFrame(status, null);
            ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
        } else if (msg instanceof WebSocketFrame frame) {
            frame.release();
            refuse(ctx, WebSocketCloseStatus.INVALID_MESSAGE_TYPE, "text frame; MQTT needs binary frames");
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    /**
     * Bytes become one unmasked binary frame (server frames are not masked, RFC 6455 section 5.1):
     * small packets are copied behind their header into one buffer, larger ones go out as header +
     * packet without a copy. Fan-outs skip this: they come framed once for all subscribers.
     */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf bytes) {
            ctx.write(WebSocketFraming.INSTANCE.frame(bytes), promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    /**
     * The broker ends the connection (DISCONNECT, keep-alive, takeover, malformed packet): say so with
     * a close frame (1000) first, as RFC 6455 section 7.1.2 asks, unless one was already sent.
     */
    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (closeWatch.sent || !ctx.channel().isActive()) {
            ctx.close(promise);
            return;
        }
        closing = true;
        ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
                .addListener(f -> ctx.close(promise));
    }

    /**
     * Sends the close frame (1000) now, unless one was sent: the connection is about to shut its output
     * down (MqttConnectionHandler's lingering close). A later close sends nothing more.
     */
    public io.netty.channel.ChannelFuture sendClose(ChannelHandlerContext ctx) {
        if (closeWatch.sent || !ctx.channel().isActive()) {
            return ctx.newSucceededFuture();
        }
        closing = true;
        return ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Netty's frame decoder has already sent close 1002/1009 for these; log once and end.
        if (cause instanceof TooLongFrameException || cause instanceof CorruptedWebSocketFrameException
                || cause instanceof CorruptedFrameException) {
            if (!closing) {
                closing = true;
                LOG.info("WebSocket client {} sent a bad frame, closing: {}", ClientAddress.of(ctx.channel()),
                        cause.getMessage());
            }
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    /** Sends a close frame with the status, logs once, and closes. */
    void refuse(ChannelHandlerContext ctx, WebSocketCloseStatus status, String why) {
        closing = true;
        LOG.info("WebSocket client {} closed with {}: {}.", ClientAddress.of(ctx.channel()), status.code(), why);
        ctx.writeAndFlush(new CloseWebSocketFrame(status)).addListener(ChannelFutureListener.CLOSE);
    }
}
