package io.vane.transport.http;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The path of a request URI, decoded once and checked before it names a file. Anything that could
 * climb out of the served folder is refused rather than cleaned up: {@code ..} or {@code .} segments
 * (also when percent-encoded, as decoding happens first), backslashes, NUL and other control characters,
 * and empty segments.
 */
final class RequestPath {
    private RequestPath() {
    }

    /**
     * The decoded path without its leading slash (empty for "/"), or null when it is refused.
     * A path ending in "/" keeps the slash so the caller can add {@code index.html}.
     */
    static String safe(String uri) {
        String path;
        try {
            path = new QueryStringDecoder(uri, StandardCharsets.UTF_8).path();
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (!path.startsWith("/")) {
            return null;
        }
        String rel = path.substring(1);
        for (int i = 0; i < rel.length(); i++) {
            char c = rel.charAt(i);
            if (c == '\\' || c < 0x20 || c == 0x7f || c == ':') {
                return null;
            }
        }
        if (rel.isEmpty()) {
            return rel;
        }
        String[] segments = rel.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            boolean last = i == segments.length - 1;
            if (s.equals("..") || s.equals(".") || (s.isEmpty() && !last)) {
                return null;
            }
        }
        return rel;
    }
}
