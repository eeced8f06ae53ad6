package io.vane.transport.ops;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which client addresses may read an operator's page (/metrics, /health): loopback always, plus the
 * networks a config option lists ({@code http_metrics_allow 10.0.0.0/8 192.168.1.7 fd00::/8}).
 * Immutable and thread-safe.
 */
public final class AddressRule {
    /** Loopback clients only: the default, because a websockets listener is usually public. */
    public static final AddressRule LOOPBACK = new AddressRule(List.of(), List.of());

    private final List<byte[]> networks;
    private final List<Integer> prefixes;

    private AddressRule(List<byte[]> networks, List<Integer> prefixes) {
        this.networks = networks;
        this.prefixes = prefixes;
    }

    /**
     * Loopback plus each network, written as an address ({@code 192.168.1.7}) or address/prefix
     * ({@code 10.0.0.0/8}, {@code fd00::/8}). Names are not looked up: a rule must not depend on DNS.
     *
     * @throws IllegalArgumentException with a sentence naming the entry that is not a network
     */
    public static AddressRule loopbackAnd(List<String> cidrs) {
        List<byte[]> networks = new ArrayList<>();
        List<Integer> prefixes = new ArrayList<>();
        for (String cidr : cidrs) {
            int slash = cidr.indexOf('/');
            String host = slash < 0 ? cidr : cidr.substring(0, slash);
            byte[] address = literal(host, cidr);
            int prefix = address.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(cidr.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > address.length * 8) {
                    throw new IllegalArgumentException("'" + cidr + "' has no valid prefix length; write e.g. "
                            + host + "/" + (address.length == 4 ? 24 : 64));
                }
            }
            networks.add(address);
            prefixes.add(prefix);
        }
        return new AddressRule(List.copyOf(networks), List.copyOf(prefixes));
    }

    /** Accepts only IP literals: InetAddress.getByName would resolve a host name. */
    private static byte[] literal(String host, String written) {
        boolean v4 = host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = host.contains(":") && host.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            throw new IllegalArgumentException("'" + written + "' is not an IP address or network; write e.g."
                    + " 192.168.1.0/24 or fd00::/8");
        }
        try {
            return InetAddress.getByName(host).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + written + "' is not an IP address or network; write e.g."
                    + " 192.168.1.0/24", e);
        }
    }

    /** Whether {@code client} is loopback or inside one of the networks. */
    public boolean allows(InetAddress client) {
        if (client == null) {
            return false;
        }
        if (client.isLoopbackAddress()) {
            return true;
        }
        byte[] a = client.getAddress();
        for (int i = 0; i < networks.size(); i++) {
            if (matches(a, networks.get(i), prefixes.get(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(byte[] address, byte[] network, int prefix) {
        if (address.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (address[full] & mask) == (network[full] & mask);
    }

    /** Whether anything beyond loopback is allowed; for the start-up notice. */
    public boolean opensBeyondLoopback() {
        return !networks.isEmpty();
    }
}
