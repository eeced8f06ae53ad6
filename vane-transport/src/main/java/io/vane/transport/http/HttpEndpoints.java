package io.vane.transport.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vane.transport.ClientAddress;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plain-HTTP side of a websockets listener: {@code GET /api/status} and static files. Read-only:
 * every other method gets 405. Thread-safe; shared by all connections of a listener.
 */
public final class HttpEndpoints {
    private static final Logger LOG = LoggerFactory.getLogger("vane.websockets");
    public static final String STATUS_PATH = "api/status";
    static final String REVALIDATE = "no-cache";
    static final String FOREVER = "public, max-age=31536000, immutable";

    public static final String HISTORY_PATH = "api/history";

    private final StaticContent files;
    private final StatusReport status;
    private final HistorySource history;
    private final java.util.function.BiPredicate<ChannelHandlerContext, String> mayRead;

    public HttpEndpoints(StaticContent files, StatusReport status) {
        this(files, status, (topic, since) -> null, (ctx, topic) -> false);
    }

    /**
     * @param mayRead whether the connection's (anonymous) client may read the topic: the same ACL as MQTT
     */
    public HttpEndpoints(StaticContent files, StatusReport status, HistorySource history,
            java.util.function.BiPredicate<ChannelHandlerContext, String> mayRead) {
        this.files = files;
        this.status = status;
        this.history = history;
        this.mayRead = mayRead;
    }

    /** Answers one request that is not a WebSocket upgrade. Runs on the connection's event loop. */
    public void handle(ChannelHandlerContext ctx, FullHttpRequest req) {
        HttpResponseStatus result = answer(ctx, req);
        if (LOG.isDebugEnabled()) {
            LOG.debug("HTTP {} {} from {}: {}", req.method(), req.uri(), ClientAddress.of(ctx.channel()),
                    result.code());
        }
    }

    private HttpResponseStatus answer(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean head = HttpMethod.HEAD.equals(req.method());
        if (!head && !HttpMethod.GET.equals(req.method())) {
            HttpResponses.error(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, false);
            return HttpResponseStatus.METHOD_NOT_ALLOWED;
        }
        String path = RequestPath.safe(req.uri());
        if (path == null) {
            LOG.info("HTTP request for {} from {} refused: not a safe path.", printable(req.uri()),
                    ClientAddress.of(ctx.channel()));
            HttpResponses.error(ctx, req, HttpResponseStatus.BAD_REQUEST, true);
            return HttpResponseStatus.BAD_REQUEST;
        }
        if (path.equals(STATUS_PATH)) {
            FullHttpResponse res = HttpResponses.withBody(HttpResponseStatus.OK,
                    status.json().getBytes(StandardCharsets.UTF_8), head);
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            res.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
            HttpResponses.send(ctx, req, res, false);
            return HttpResponseStatus.OK;
        }
        if (path.equals(HISTORY_PATH)) {
            return history(ctx, req, head);
        }
        StaticContent.Resource file = files.find(path);
        if (file == null) {
            HttpResponses.error(ctx, req, HttpResponseStatus.NOT_FOUND, false);
            return HttpResponseStatus.NOT_FOUND;
        }
        boolean fresh = notModified(req, file);
        FullHttpResponse res = fresh
                ? HttpResponses.withBody(HttpResponseStatus.NOT_MODIFIED, new byte[0], true)
                : HttpResponses.withBody(HttpResponseStatus.OK, file.body(), head);
        if (fresh) {
            res.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
        } else {
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, file.contentType());
        }
        res.headers().set(HttpHeaderNames.ETAG, file.etag());
        if (file.lastModifiedMillis() > 0) {
            res.headers().set(HttpHeaderNames.LAST_MODIFIED, DateFormatter.format(new Date(file.lastModifiedMillis())));
        }
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, file.immutable() ? FOREVER : REVALIDATE);
        HttpResponses.send(ctx, req, res, false);
        return res.status();
    }

    /** {@code /api/history?topic=weather/loop&since=EPOCH_MILLIS}: 404 when not kept, 403 when not readable. */
    private HttpResponseStatus history(ChannelHandlerContext ctx, FullHttpRequest req, boolean head) {
        io.netty.handler.codec.http.QueryStringDecoder q = new io.netty.handler.codec.http.QueryStringDecoder(req.uri());
        String topic = q.parameters().getOrDefault("topic", java.util.List.of("weather/loop")).get(0);
        long since = 0;
        try {
            since = Long.parseLong(q.parameters().getOrDefault("since", java.util.List.of("0")).get(0));
        } catch (NumberFormatException e) {
            HttpResponses.error(ctx, req, HttpResponseStatus.BAD_REQUEST, false);
            return HttpResponseStatus.BAD_REQUEST;
        }
        if (!mayRead.test(ctx, topic)) {
            HttpResponses.error(ctx, req, HttpResponseStatus.FORBIDDEN, false);
            return HttpResponseStatus.FORBIDDEN;
        }
        String json = history.historyJson(topic, since);
        if (json == null) {
            HttpResponses.error(ctx, req, HttpResponseStatus.NOT_FOUND, false);
            return HttpResponseStatus.NOT_FOUND;
        }
        FullHttpResponse res = HttpResponses.withBody(HttpResponseStatus.OK, json.getBytes(StandardCharsets.UTF_8), head);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        HttpResponses.send(ctx, req, res, false);
        return HttpResponseStatus.OK;
    }

    /** RFC 9110 section 13.1: If-None-Match wins over If-Modified-Since. */
    private static boolean notModified(FullHttpRequest req, StaticContent.Resource file) {
        String inm = req.headers().get(HttpHeaderNames.IF_NONE_MATCH);
        if (inm != null) {
            for (String tag : inm.split(",")) {
                String t = tag.trim();
                if (t.equals("*") || t.equals(file.etag()) || t.equals("W/" + file.etag())) {
                    return true;
                }
            }
            return false;
        }
        String ims = req.headers().get(HttpHeaderNames.IF_MODIFIED_SINCE);
        if (ims != null && file.lastModifiedMillis() > 0) {
            Date since = DateFormatter.parseHttpDate(ims);
            return since != null && file.lastModifiedMillis() / 1000 <= since.getTime() / 1000;
        }
        return false;
    }

    /** Request URIs go into logs: keep them short and on one line. */
    public static String printable(String s) {
        String t = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        return t.replaceAll("[\\p{Cntrl}]", "?");
    }
}
