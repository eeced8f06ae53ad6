package io.vane.transport.websocket;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.timeout.IdleStateEvent;
import io.vane.transport.ClientAddress;
import io.vane.transport.http.HttpEndpoints;
import io.vane.transport.http.HttpResponses;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first thing a connection to a websockets listener meets after the HTTP decoder: it learns the
 * client's address (through a trusted proxy if any), then sends upgrades to {@link WebSocketUpgrade}
 * and everything else to {@link HttpEndpoints}. Bytes that are not HTTP get 400 and a close.
 * One per connection, owned by its event loop.
 */
final class HttpGate extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger("vane.websockets");
    private static final Logger FAULTS = LoggerFactory.getLogger("vane.transport");

    private final WebSocketUpgrade upgrade;
    private final HttpEndpoints http;
    private final List<String> trustedProxies;

    HttpGate(WebSocketUpgrade upgrade, HttpEndpoints http, List<String> trustedProxies) {
        this.upgrade = upgrade;
        this.http = http;
        this.trustedProxies = trustedProxies;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        DecoderResult result = req.decoderResult();
        if (!result.isSuccess()) {
            LOG.info("Connection from {} sent bytes that are not HTTP, closing: {}", ClientAddress.of(ctx.channel()),
                    result.cause() == null ? "bad request" : result.cause().getMessage());
            HttpResponses.error(ctx, null, HttpResponseStatus.BAD_REQUEST, true);
            return;
        }
        rememberForwardedAddress(ctx, req);
        if (WebSocketUpgrade.isUpgrade(req)) {
            upgrade.upgrade(ctx, req);
            return;
        }
        if (req.headers().contains(HttpHeaderNames.UPGRADE)) {
            LOG.info("Connection from {} asked to upgrade to {}; answering in HTTP/1.1.", ClientAddress.of(ctx.channel()),
                    HttpEndpoints.printable(req.headers().get(HttpHeaderNames.UPGRADE)));
        }
        http.handle(ctx, req);
    }

    private void rememberForwardedAddress(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (trustedProxies.isEmpty()) {
            return;
        }
        String client = ClientAddress.fromHeaders(ClientAddress.ip(ctx.channel().remoteAddress()),
                req.headers().get("X-Real-IP"), req.headers().get("X-Forwarded-For"), trustedProxies);
        if (client != null) {
            ctx.channel().attr(ClientAddress.FORWARDED).set(client);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            // An HTTP connection that sends nothing holds a socket for nothing.
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Socket errors are routine (log_type websockets); anything else is a fault of ours and shown.
        if (cause instanceof java.io.IOException) {
            LOG.info("HTTP connection from {} failed, closing: {}", ClientAddress.of(ctx.channel()), cause.toString());
        } else {
            FAULTS.warn("HTTP connection from {} failed, closing", ClientAddress.of(ctx.channel()), cause);
        }
        ctx.close();
    }
}
