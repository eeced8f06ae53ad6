package io.vane.transport.websocket;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.vane.transport.ClientAddress;
import io.vane.transport.http.HttpEndpoints;
import io.vane.transport.http.HttpResponses;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first thing a connection to a websockets listener meets after the HTTP decoder: it learns the
 * client's address (through a trusted proxy if any), then sends upgrades to {@link WebSocketUpgrade}
 * and everything else to {@link HttpEndpoints}. Bytes that are not HTTP get 400 and a close.
 * One per connection, owned by its event loop.
 *
 * <p>Requests are answered one at a time, in the order they came (HTTP/1.1 pipelining): while one is
 * being answered (perhaps on a worker) or its answer is being written, the connection reads no more,
 * and requests already decoded wait here, at most {@link #MAX_PIPELINED}. The next one starts when
 * the previous answer has been handed to the socket, so a client that does not read holds one answer
 * in memory, not a queue of them, and no event loop waits for anything. When the connection closes,
 * the request in progress is cancelled (taken out of the workers' queue) and waiting ones are dropped.
 */
final class HttpGate extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger("vane.websockets");
    private static final Logger FAULTS = LoggerFactory.getLogger("vane.transport");
    /** Decoded requests that may wait behind the one being answered; more closes the connection. */
    static final int MAX_PIPELINED = 32;

    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    /** The answer being made, or null; while set (or while it is written) nothing else starts. */
    private CompletableFuture<HttpEndpoints.Reply> inProgress;
    private boolean busy;
    private boolean closed;

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
        if (closed) {
            return;
        }
        if (waiting.size() >= MAX_PIPELINED) {
            LOG.info("HTTP connection from {} pipelined more than {} requests, closing.",
                    ClientAddress.of(ctx.channel()), MAX_PIPELINED);
            close(ctx);
            return;
        }
        waiting.add(req.retain());
        next(ctx);
    }

    /** Starts the next waiting request unless one is in progress; reads again when none waits. */
    private void next(ChannelHandlerContext ctx) {
        while (!busy && !closed && !waiting.isEmpty()) {
            FullHttpRequest req = waiting.poll();
            try {
                start(ctx, req);
            } catch (RuntimeException e) {
                req.release();
                throw e;
            }
        }
        if (!closed && ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(!busy && waiting.isEmpty());
        }
    }

    /** Answers one request; {@code req} is released here or when its answer is done. */
    private void start(ChannelHandlerContext ctx, FullHttpRequest req) {
        DecoderResult result = req.decoderResult();
        if (!result.isSuccess()) {
            LOG.info("Connection from {} sent bytes that are not HTTP, closing: {}", ClientAddress.of(ctx.channel()),
                    result.cause() == null ? "bad request" : result.cause().getMessage());
            req.release();
            dropWaiting();
            closed = true;
            HttpResponses.error(ctx, null, HttpResponseStatus.BAD_REQUEST, true);
            return;
        }
        rememberForwardedAddress(ctx, req);
        if (WebSocketUpgrade.isUpgrade(req)) {
            // Earlier answers are all written: the 101 follows them. What was pipelined after an
            // upgrade request cannot be HTTP; after a refusal the connection closes anyway.
            dropWaiting();
            closed = true;
            try {
                upgrade.upgrade(ctx, req);
            } finally {
                req.release();
                // This gate is gone on success; MQTT reads from here on.
                ctx.channel().config().setAutoRead(true);
            }
            return;
        }
        if (req.headers().contains(HttpHeaderNames.UPGRADE)) {
            LOG.info("Connection from {} asked to upgrade to {}; answering in HTTP/1.1.", ClientAddress.of(ctx.channel()),
                    HttpEndpoints.printable(req.headers().get(HttpHeaderNames.UPGRADE)));
        }
        busy = true;
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        CompletableFuture<HttpEndpoints.Reply> answer = http.handle(ctx, req);
        inProgress = answer;
        answer.whenComplete((reply, failure) -> {
            if (ctx.executor().inEventLoop()) {
                answered(ctx, req, answer, reply, keepAlive);
            } else {
                ctx.executor().execute(() -> answered(ctx, req, answer, reply, keepAlive));
            }
        });
    }

    /** On the event loop: writes the answer, and starts the next request once it is on its way. */
    private void answered(ChannelHandlerContext ctx, FullHttpRequest req, CompletableFuture<HttpEndpoints.Reply> answer,
            HttpEndpoints.Reply reply, boolean keepAlive) {
        req.release();
        if (inProgress != answer || closed || reply == null) {
            if (reply != null) {
                ReferenceCountUtil.release(reply.response());
                reply.done().run();
            }
            if (reply == null && !closed) {
                close(ctx); // cannot happen: failures are answered with 500
            }
            return;
        }
        inProgress = null;
        boolean keep = keepAlive && !reply.close();
        HttpUtil.setKeepAlive(reply.response(), keep);
        ctx.writeAndFlush(reply.response()).addListener((ChannelFutureListener) f -> {
            reply.done().run();
            if (!keep || !f.isSuccess()) {
                close(ctx);
                return;
            }
            busy = false;
            next(ctx);
        });
    }

    private void dropWaiting() {
        FullHttpRequest r;
        while ((r = waiting.poll()) != null) {
            r.release();
        }
    }

    private void close(ChannelHandlerContext ctx) {
        stop();
        ctx.close();
    }

    /** Stops all work of this connection: nothing more is started, the request in progress is cancelled. */
    private void stop() {
        closed = true;
        dropWaiting();
        CompletableFuture<HttpEndpoints.Reply> answer = inProgress;
        inProgress = null;
        if (answer != null) {
            answer.cancel(false);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stop();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        dropWaiting();
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
            // An HTTP connection that sends nothing (or reads nothing of a pending answer) holds a
            // socket for nothing.
            close(ctx);
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
        close(ctx);
    }
}
