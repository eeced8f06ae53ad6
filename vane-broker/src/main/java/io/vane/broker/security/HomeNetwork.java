package io.vane.broker.security;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Whether a client address is inside the home: loopback, the private IPv4 ranges (10/8, 172.16/12,
 * 192.168/16), link-local (169.254/16, fe80::/10), IPv6 unique local (fc00::/7), and IPv4-mapped forms
 * of those. Anything that cannot be read as an address literal is outside (fail closed). Never looks a
 * name up.
 */
public final class HomeNetwork {
    private HomeNetwork() {
    }

    /** {@code address} as Vane writes client addresses: {@code ip}, {@code ip:port}, or null. */
    public static boolean isLocal(String address) {
        InetAddress ip = literal(address);
        if (ip == null && address != null) {
            int colon = address.lastIndexOf(':');
            ip = colon > 0 ? literal(address.substring(0, colon)) : null;
        }
        if (ip == null) {
            return false;
        }
        if (ip.isLoopbackAddress() || ip.isSiteLocalAddress() || ip.isLinkLocalAddress()) {
            return true;
        }
        // fc00::/7, which Java's isSiteLocalAddress (the old fec0::/10) does not cover.
        return ip instanceof Inet6Address && (ip.getAddress()[0] & 0xFE) == 0xFC;
    }

    private static InetAddress literal(String s) {
        if (s == null || s.isEmpty() || !s.matches("[0-9A-Fa-f:.\\[\\]]+")) {
            return null;
        }
        String bare = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        boolean v4 = bare.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        boolean v6 = bare.contains(":") && bare.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            // A literal of the right shape: parsed, never resolved.
            return InetAddress.getByName(bare);
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }
}
