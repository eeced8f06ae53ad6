package io.vane.transport.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vane.transport.ClientAddress;
import io.vane.transport.ops.AddressRule;
import io.vane.transport.ops.OpsPages;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /metrics}, {@code /health/live} and {@code /health/ready} on a websockets listener, for the
 * client addresses their rules allow (loopback unless configured otherwise: the port is usually public).
 * Immutable and thread-safe.
 *
 * <p>The address judged is the socket's peer, or the client a trusted proxy names. A request that
 * carries forwarding headers from a peer that is not a trusted proxy is refused whatever its peer: it
 * is a proxy on this machine passing on a request from anywhere (the nginx setup in
 * docs/reverse-proxy.md connects from 127.0.0.1).
 */
public final class OpsEndpoints {
    private static final Logger LOG = LoggerFactory.getLogger("vane.websockets");
    public static final String METRICS_PATH = "metrics";
    public static final String LIVE_PATH = "health/live";
    public static final String READY_PATH = "health/ready";

    /** No operator pages: those paths fall through to the static files (404). */
    public static final OpsEndpoints NONE = new OpsEndpoints(null, AddressRule.LOOPBACK, AddressRule.LOOPBACK);

    private final OpsPages pages;
    private final AddressRule metricsAllow;
    private final AddressRule healthAllow;

    /**
     * @param metricsAllow who may read /metrics (http_metrics_allow)
     * @param healthAllow who may read /health/live and /health/ready (http_health_allow)
     */
    public OpsEndpoints(OpsPages pages, AddressRule metricsAllow, AddressRule healthAllow) {
        this.pages = pages;
        this.metricsAllow = metricsAllow;
        this.healthAllow = healthAllow;
    }

    /** Whether {@code path} (as {@link RequestPath#safe} returns it) is one of these pages. */
    boolean handles(String path) {
        return pages != null && (path.equals(METRICS_PATH) || path.equals(LIVE_PATH) || path.equals(READY_PATH));
    }

    /** 403 with the reason when this client may not read {@code path}; null when it may. */
    FullHttpResponse refusal(ChannelHandlerContext ctx, FullHttpRequest req, String path) {
        AddressRule rule = path.equals(METRICS_PATH) ? metricsAllow : healthAllow;
        String forwarded = ctx.channel().attr(ClientAddress.FORWARDED).get();
        boolean proxied = req.headers().contains("X-Forwarded-For") || req.headers().contains("X-Real-IP")
                || req.headers().contains("Forwarded");
        InetAddress client;
        if (forwarded != null) {
            client = literal(forwarded);
        } else if (proxied) {
            client = null;
        } else {
            client = ctx.channel().remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
        }
        if (rule.allows(client)) {
            return null;
        }
        String option = path.equals(METRICS_PATH) ? "http_metrics_allow" : "http_health_allow";
        LOG.info("HTTP /{} from {} refused: not loopback and not in {}.", path, ClientAddress.of(ctx.channel()),
                option);
        return HttpResponses.errorResponse(req, HttpResponseStatus.FORBIDDEN,
                "/" + path + " answers loopback clients and those " + option + " lists");
    }

    /** An address written by a trusted proxy; never looked up as a host name. */
    private static InetAddress literal(String address) {
        String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1)
                : address;
        if (!a.matches("[0-9A-Fa-f:.]+")) {
            return null;
        }
        try {
            return InetAddress.getByName(a);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    /** The page, for a client {@link #refusal} let through. */
    FullHttpResponse page(FullHttpRequest req, String path, boolean head) {
        OpsPages.Page page = switch (path) {
            case METRICS_PATH -> pages.metrics();
            case LIVE_PATH -> pages.live();
            default -> pages.ready();
        };
        FullHttpResponse res = HttpResponses.withBody(HttpResponseStatus.valueOf(page.status()), page.body(), head);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, page.contentType());
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        return res;
    }
}
