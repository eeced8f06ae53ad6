package io.vane.transport.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Writes HTTP responses: body omitted for HEAD, keep-alive honoured, errors as short plain text. */
public final class HttpResponses {
    private HttpResponses() {
    }

    /** A response with a body; the caller has set content type and caching headers. */
    static FullHttpResponse withBody(HttpResponseStatus status, byte[] body, boolean head) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        // Browsers must not guess a script out of a text file.
        res.headers().set("X-Content-Type-Options", "nosniff");
        return res;
    }

    /** A short plain-text error to send (HEAD: without its body). */
    public static FullHttpResponse errorResponse(HttpRequest req, HttpResponseStatus status) {
        return errorResponse(req, status, null);
    }

    /** A short plain-text error whose body also says what was wrong ({@code detail}: one line, no input echoed raw). */
    public static FullHttpResponse errorResponse(HttpRequest req, HttpResponseStatus status, String detail) {
        byte[] body = (status.code() + " " + status.reasonPhrase() + (detail == null ? "" : ": " + detail) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        boolean head = req != null && HttpMethod.HEAD.equals(req.method());
        FullHttpResponse res = withBody(status, body, head);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (status.equals(HttpResponseStatus.METHOD_NOT_ALLOWED)) {
            res.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
        }
        return res;
    }

    /** Sends, keeping the connection for the next request when the client asked and {@code close} is false. */
    static void send(ChannelHandlerContext ctx, HttpRequest req, FullHttpResponse res, boolean close) {
        boolean keepAlive = !close && HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(res, keepAlive);
        ChannelFuture f = ctx.writeAndFlush(res);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** A short plain-text error; {@code close} ends the connection after it. */
    public static void error(ChannelHandlerContext ctx, HttpRequest req, HttpResponseStatus status, boolean close) {
        FullHttpResponse res = errorResponse(req, status);
        if (req == null) {
            HttpUtil.setKeepAlive(res, false);
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        } else {
            send(ctx, req, res, close);
        }
    }
}
