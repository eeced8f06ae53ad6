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
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plain-HTTP side of a websockets listener: {@code GET /api/status}, {@code /api/history} and static
 * files. Read-only: every other method gets 405. Thread-safe; shared by all connections of a listener.
 *
 * <p>Answers that cost next to nothing (errors, the status report, a classpath file already in memory)
 * are made on the connection's event loop; everything that grows with data (history, files read from
 * disk) runs on {@link HttpWork}'s pool, which may refuse it with 429 or 503 (decision 0009).
 */
public final class HttpEndpoints {
    private static final Logger LOG = LoggerFactory.getLogger("vane.websockets");
    public static final String STATUS_PATH = "api/status";
    static final String REVALIDATE = "no-cache";
    static final String FOREVER = "public, max-age=31536000, immutable";

    public static final String HISTORY_PATH = "api/history";

    /**
     * One answer to write, whether the connection closes after it, and what to run once it is written
     * or dropped (giving back the client's place in {@link HttpWork}).
     */
    public record Reply(FullHttpResponse response, boolean close, Runnable done) {
        static Reply of(FullHttpResponse response) {
            return new Reply(response, false, () -> { });
        }

        Reply then(Runnable after) {
            return new Reply(response, close, () -> {
                try {
                    done.run();
                } finally {
                    after.run();
                }
            });
        }
    }

    private final StaticContent files;
    private final StatusReport status;
    private final HistorySource history;
    private final java.util.function.BiPredicate<ChannelHandlerContext, String> mayRead;
    private final HttpWork work;
    private final OpsEndpoints ops;

    public HttpEndpoints(StaticContent files, StatusReport status) {
        this(files, status, (topic, since, range) -> null, (ctx, topic) -> false);
    }

    public HttpEndpoints(StaticContent files, StatusReport status, HistorySource history,
            java.util.function.BiPredicate<ChannelHandlerContext, String> mayRead) {
        this(files, status, history, mayRead, new HttpWork(1));
    }

    /**
     * @param mayRead whether the connection's (anonymous) client may read the topic: the same ACL as MQTT
     * @param work where answers that grow with data are made
     */
    public HttpEndpoints(StaticContent files, StatusReport status, HistorySource history,
            java.util.function.BiPredicate<ChannelHandlerContext, String> mayRead, HttpWork work) {
        this(files, status, history, mayRead, work, OpsEndpoints.NONE);
    }

    /** @param ops /metrics and /health, for the addresses their rules allow */
    public HttpEndpoints(StaticContent files, StatusReport status, HistorySource history,
            java.util.function.BiPredicate<ChannelHandlerContext, String> mayRead, HttpWork work, OpsEndpoints ops) {
        this.ops = ops;
        this.files = files;
        this.status = status;
        this.history = history;
        this.mayRead = mayRead;
        this.work = work;
    }

    /**
     * Answers one request that is not a WebSocket upgrade. Called on the connection's event loop; the
     * answer is complete at once or later, from a worker. The caller keeps {@code req} until then, and
     * cancels the future when the connection closes first.
     */
    public CompletableFuture<Reply> handle(ChannelHandlerContext ctx, FullHttpRequest req) {
        CompletableFuture<Reply> answer;
        try {
            answer = answer(ctx, req);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        String who = ClientAddress.of(ctx.channel());
        CompletableFuture<Reply> inner = answer;
        CompletableFuture<Reply> reply = answer.handle((r, failure) -> {
            if (failure == null) {
                return r;
            }
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof HttpWork.RefusedException refused) {
                return refused(req, who, refused.refusal());
            }
            if (cause instanceof java.util.concurrent.CancellationException c) {
                throw c;
            }
            LOG.warn("HTTP {} {} from {} failed", req.method(), printable(req.uri()), who, cause);
            return Reply.of(HttpResponses.errorResponse(req, HttpResponseStatus.INTERNAL_SERVER_ERROR));
        });
        reply = reply.whenComplete((r, failure) -> {
            if (r != null && LOG.isDebugEnabled()) {
                LOG.debug("HTTP {} {} from {}: {}", req.method(), printable(req.uri()), who,
                        r.response().status().code());
            }
        });
        // The caller cancels what it was given: that must reach the queued work behind it.
        reply.whenComplete((r, failure) -> {
            if (failure instanceof java.util.concurrent.CancellationException) {
                inner.cancel(false);
            }
        });
        return reply;
    }

    /** 429 for an address over its share, 503 for a full queue; both say when to come back. */
    private static Reply refused(FullHttpRequest req, String who, HttpWork.Refusal refusal) {
        HttpResponseStatus code = refusal == HttpWork.Refusal.TOO_MANY_FROM_ADDRESS
                ? HttpResponseStatus.TOO_MANY_REQUESTS : HttpResponseStatus.SERVICE_UNAVAILABLE;
        LOG.debug("HTTP {} {} from {} refused with {}: {}", req.method(), printable(req.uri()), who, code.code(),
                refusal);
        FullHttpResponse res = HttpResponses.errorResponse(req, code);
        res.headers().set(HttpHeaderNames.RETRY_AFTER, HttpWork.RETRY_AFTER_SECONDS);
        return Reply.of(res);
    }

    private static CompletableFuture<Reply> now(FullHttpResponse res) {
        return CompletableFuture.completedFuture(Reply.of(res));
    }

    private CompletableFuture<Reply> answer(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean head = HttpMethod.HEAD.equals(req.method());
        if (!head && !HttpMethod.GET.equals(req.method())) {
            return now(HttpResponses.errorResponse(req, HttpResponseStatus.METHOD_NOT_ALLOWED));
        }
        String path = RequestPath.safe(req.uri());
        if (path == null) {
            LOG.info("HTTP request for {} from {} refused: not a safe path.", printable(req.uri()),
                    ClientAddress.of(ctx.channel()));
            return CompletableFuture.completedFuture(
                    new Reply(HttpResponses.errorResponse(req, HttpResponseStatus.BAD_REQUEST), true, () -> { }));
        }
        if (path.equals(STATUS_PATH)) {
            // Counters and map sizes: constant work, made where it is asked.
            FullHttpResponse res = HttpResponses.withBody(HttpResponseStatus.OK,
                    status.json().getBytes(StandardCharsets.UTF_8), head);
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            res.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
            return now(res);
        }
        if (path.equals(HISTORY_PATH)) {
            return history(ctx, req, head);
        }
        if (ops.handles(path)) {
            FullHttpResponse refused = ops.refusal(ctx, req, path);
            if (refused != null) {
                return now(refused);
            }
            // Health reads a few flags, here; metrics walk the sessions, on a worker.
            return path.equals(OpsEndpoints.METRICS_PATH) ? heavy(ctx, () -> Reply.of(ops.page(req, path, head)))
                    : now(ops.page(req, path, head));
        }
        StaticContent.Resource inMemory = files.cached(path);
        if (inMemory != null) {
            return now(file(req, inMemory, head));
        }
        return heavy(ctx, () -> {
            StaticContent.Resource file = files.find(path);
            return Reply.of(file == null ? HttpResponses.errorResponse(req, HttpResponseStatus.NOT_FOUND)
                    : file(req, file, head));
        });
    }

    /**
     * Work for a worker, under one of the client address's places, which its answer keeps until written;
     * refused with 429 when the address has none left, 503 when the queue is full.
     */
    private CompletableFuture<Reply> heavy(ChannelHandlerContext ctx, java.util.function.Supplier<Reply> task) {
        HttpWork.Permit permit = work.acquire(limitedAddress(ctx));
        if (permit == null) {
            return CompletableFuture.failedFuture(new HttpWork.RefusedException(HttpWork.Refusal.TOO_MANY_FROM_ADDRESS));
        }
        CompletableFuture<Reply> job = work.run(task);
        CompletableFuture<Reply> held = job.handle((reply, failure) -> {
            if (failure != null) {
                permit.release();
                throw failure instanceof java.util.concurrent.CompletionException c ? c
                        : new java.util.concurrent.CompletionException(failure);
            }
            return reply.then(permit::release);
        });
        held.whenComplete((reply, failure) -> {
            if (failure instanceof java.util.concurrent.CancellationException) {
                job.cancel(false);
                permit.release();
            }
        });
        return held;
    }

    /**
     * Whose share a request counts against: the client's IP address without the port (every connection
     * of a client is one client), or the address a trusted proxy named.
     */
    static String limitedAddress(ChannelHandlerContext ctx) {
        String forwarded = ctx.channel().attr(ClientAddress.FORWARDED).get();
        return forwarded != null ? forwarded : ClientAddress.ip(ctx.channel().remoteAddress());
    }

    private static FullHttpResponse file(FullHttpRequest req, StaticContent.Resource file, boolean head) {
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
        return res;
    }

    /**
     * {@code /api/history?topic=weather/loop&since=EPOCH_MILLIS} or {@code ...&range=week}: 400 for a
     * bad since or range (saying which values are accepted), 404 when not kept, 403 when not readable.
     * The checks are made here, the answer on a worker.
     */
    private CompletableFuture<Reply> history(ChannelHandlerContext ctx, FullHttpRequest req, boolean head) {
        io.netty.handler.codec.http.QueryStringDecoder q = new io.netty.handler.codec.http.QueryStringDecoder(req.uri());
        String topic = q.parameters().getOrDefault("topic", java.util.List.of("weather/loop")).get(0);
        long since;
        try {
            since = Long.parseLong(q.parameters().getOrDefault("since", java.util.List.of("0")).get(0));
        } catch (NumberFormatException e) {
            return now(HttpResponses.errorResponse(req, HttpResponseStatus.BAD_REQUEST,
                    "since must be a time in milliseconds since 1970"));
        }
        java.util.List<String> ranges = q.parameters().get("range");
        String range = ranges == null ? null : ranges.get(0);
        if (range != null && (ranges.size() > 1 || !HistorySource.RANGES.contains(range))) {
            return now(HttpResponses.errorResponse(req, HttpResponseStatus.BAD_REQUEST,
                    "range must be one of " + String.join(", ", HistorySource.RANGES)));
        }
        if (!mayRead.test(ctx, topic)) {
            return now(HttpResponses.errorResponse(req, HttpResponseStatus.FORBIDDEN));
        }
        return heavy(ctx, () -> {
            byte[] json = history.historyJson(topic, since, range);
            if (json == null) {
                return Reply.of(HttpResponses.errorResponse(req, HttpResponseStatus.NOT_FOUND));
            }
            FullHttpResponse res = HttpResponses.withBody(HttpResponseStatus.OK, json, head);
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            res.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
            return Reply.of(res);
        });
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
