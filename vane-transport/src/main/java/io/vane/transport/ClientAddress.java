package io.vane.transport;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * The client's address as shown in logs. Normally the socket's peer; behind a trusted reverse proxy,
 * the address the proxy reports in {@code X-Real-IP} or {@code X-Forwarded-For}. Headers from peers
 * that are not trusted proxies are ignored, as anyone can send them.
 */
public final class ClientAddress {
    /** Set on the channel by the HTTP side before the MQTT handlers start; read by them. */
    public static final AttributeKey<String> FORWARDED = AttributeKey.valueOf("vane.clientAddress");

    private ClientAddress() {
    }

    /** host:port of the socket's peer, or the forwarded address when one was set on the channel. */
    public static String of(Channel channel) {
        String forwarded = channel.attr(FORWARDED).get();
        return forwarded != null ? forwarded : format(channel.remoteAddress());
    }

    /**
     * The client address behind a proxy, or null when the peer is not a trusted proxy or named no client.
     * {@code X-Forwarded-For} is read from the right: the last address not itself a trusted proxy is the
     * one the nearest trusted proxy saw; addresses left of it were written by the client and may be forged.
     */
    public static String fromHeaders(String peerIp, String xRealIp, String xForwardedFor, List<String> trusted) {
        if (peerIp == null || !trusted.contains(peerIp)) {
            return null;
        }
        if (xForwardedFor != null && !xForwardedFor.isBlank()) {
            String[] hops = xForwardedFor.split(",");
            for (int i = hops.length - 1; i >= 0; i--) {
                String hop = hops[i].trim();
                if (!hop.isEmpty() && !trusted.contains(hop)) {
                    return plausible(hop);
                }
            }
        }
        if (xRealIp != null && !xRealIp.isBlank()) {
            return plausible(xRealIp.trim());
        }
        return null;
    }

    /** Keeps log lines to one short token: an address, not whatever text a header carried. */
    private static String plausible(String s) {
        if (s.length() > 64 || !s.matches("[0-9A-Za-z.:\\[\\]%_-]+")) {
            return null;
        }
        return s;
    }

    public static String ip(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(address);
    }

    public static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
