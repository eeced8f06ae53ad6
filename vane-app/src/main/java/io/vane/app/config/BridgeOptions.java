package io.vane.app.config;

import io.vane.broker.bridge.BridgeAddress;
import io.vane.broker.bridge.BridgeSettings;
import io.vane.broker.bridge.BridgeTopic;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.Topics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options of a {@code connection} section, as in mosquitto.conf(5) and Mosquitto 2.1, each parsed
 * into the current {@link BridgeDraft}; a value Vane cannot honour stops start-up with what to write.
 */
final class BridgeOptions {

    /** Parses an option's text into the bridge draft. */
    @FunctionalInterface
    interface Setter {
        void set(ConfigDraft draft, BridgeDraft bridge, String text) throws ValueProblem;
    }

    private static final Map<String, Setter> TABLE = build();

    private BridgeOptions() {
    }

    static Set<String> names() {
        return TABLE.keySet();
    }

    static Setter find(String name) {
        return TABLE.get(name);
    }

    private static <T> Setter value(String name, Value<T> value, TypedSetter<T> setter) {
        return (draft, bridge, text) -> setter.set(draft, bridge, value.parse(name, text));
    }

    @FunctionalInterface
    private interface TypedSetter<T> {
        void set(ConfigDraft draft, BridgeDraft bridge, T value) throws ValueProblem;
    }

    private static Map<String, Setter> build() {
        Map<String, Setter> t = new LinkedHashMap<>();
        Setter addresses = (d, b, text) -> addresses(b, text);
        t.put("address", addresses);
        t.put("addresses", addresses);
        t.put("round_robin", value("round_robin", Value.bool("false"), (d, b, v) -> b.roundRobin = v));
        t.put("topic", (d, b, text) -> b.topics.add(topic(text)));
        Setter remoteId = (d, b, text) -> b.remoteClientId = clientId("remote_clientid", text);
        t.put("clientid", remoteId);
        t.put("remote_clientid", remoteId);
        t.put("local_clientid", (d, b, text) -> b.localClientId = clientId("local_clientid", text));
        Setter remoteUser = value("remote_username", Value.word("house-bridge"), (d, b, v) -> b.remoteUsername = v);
        t.put("username", remoteUser);
        t.put("remote_username", remoteUser);
        Setter remotePassword = value("remote_password", Value.word("secret"), (d, b, v) -> b.remotePassword = v);
        t.put("password", remotePassword);
        t.put("remote_password", remotePassword);
        t.put("local_username", value("local_username", Value.word("bridge"), (d, b, v) -> b.localUsername = v));
        t.put("local_password", value("local_password", Value.word("secret"), (d, b, v) -> b.localPassword = v));
        t.put("cleansession", value("cleansession", Value.bool("false"), (d, b, v) -> b.cleanSession = v));
        t.put("local_cleansession", value("local_cleansession", Value.bool("false"),
                (d, b, v) -> b.localCleanSession = v));
        t.put("bridge_protocol_version", value("bridge_protocol_version",
                Value.oneOf(List.of("mqttv31", "mqttv311", "mqttv50"), "mqttv311"), (d, b, v) -> b.protocol =
                        switch (v) {
                            case "mqttv31" -> MqttVersion.V3_1;
                            case "mqttv50" -> MqttVersion.V5;
                            default -> MqttVersion.V3_1_1;
                        }));
        t.put("try_private", value("try_private", Value.bool("true"), (d, b, v) -> b.tryPrivate = v));
        t.put("keepalive_interval", value("keepalive_interval", Value.integer(5, 65_535, "60"),
                (d, b, v) -> b.keepAlive = v));
        t.put("start_type", value("start_type", Value.oneOf(List.of("automatic", "lazy", "once"), "automatic"),
                (d, b, v) -> b.startType = BridgeSettings.StartType.valueOf(v.toUpperCase(java.util.Locale.ROOT))));
        t.put("idle_timeout", value("idle_timeout", Value.integer(1, 86_400, "60"), (d, b, v) -> b.idleTimeout = v));
        t.put("threshold", value("threshold", Value.integer(1, 1_000_000, "10"), (d, b, v) -> b.threshold = v));
        t.put("restart_timeout", (d, b, text) -> restartTimeout(b, text));
        t.put("notifications", value("notifications", Value.bool("true"), (d, b, v) -> b.notifications = v));
        t.put("notifications_local_only", value("notifications_local_only", Value.bool("false"),
                (d, b, v) -> b.notificationsLocalOnly = v));
        t.put("notification_topic", value("notification_topic", Value.word("$SYS/broker/connection/house/state"),
                (d, b, v) -> {
                    if (Topics.validateTopicName(v) != null) {
                        throw new ValueProblem("notification_topic needs a topic name without + or #, got '" + v
                                + "'; write e.g. notification_topic bridges/house/state");
                    }
                    b.notificationTopic = v;
                }));
        t.put("bridge_attempt_unsubscribe", value("bridge_attempt_unsubscribe", Value.bool("true"),
                (d, b, v) -> b.attemptUnsubscribe = v));
        t.put("bridge_outgoing_retain", value("bridge_outgoing_retain", Value.bool("true"),
                (d, b, v) -> b.outgoingRetain = v));
        t.put("bridge_max_packet_size", value("bridge_max_packet_size", Value.integer(0, 268_435_455, "1048576"),
                (d, b, v) -> b.maxPacketSize = v));
        t.put("bridge_bind_address", value("bridge_bind_address", Value.word("192.168.1.10"),
                (d, b, v) -> b.bindAddress = v));
        t.put("bridge_cafile", value("bridge_cafile", Value.text("/etc/ssl/certs/ca-certificates.crt"),
                (d, b, v) -> b.cafile = d.resolve(v)));
        t.put("bridge_capath", value("bridge_capath", Value.text("/etc/ssl/certs"), (d, b, v) -> b.capath = d.resolve(v)));
        t.put("bridge_certfile", value("bridge_certfile", Value.text("/etc/vane/bridge.crt"),
                (d, b, v) -> b.certfile = d.resolve(v)));
        t.put("bridge_keyfile", value("bridge_keyfile", Value.text("/etc/vane/bridge.key"),
                (d, b, v) -> b.keyfile = d.resolve(v)));
        t.put("bridge_insecure", value("bridge_insecure", Value.bool("false"), (d, b, v) -> b.insecure = v));
        t.put("bridge_tls_version", value("bridge_tls_version", Value.oneOf(List.of("tlsv1.2", "tlsv1.3"),
                "tlsv1.2"), (d, b, v) -> b.tlsVersion = v));
        t.put("bridge_alpn", value("bridge_alpn", Value.word("x-amzn-mqtt-ca"), (d, b, v) -> b.alpn = List.of(
                v.split(","))));
        t.put("bridge_receive_maximum", value("bridge_receive_maximum", Value.integer(1, 65_535, "100"),
                (d, b, v) -> b.receiveMaximum = v));
        t.put("bridge_session_expiry_interval", value("bridge_session_expiry_interval",
                Value.number(0, 0xFFFFFFFFL, "86400"), (d, b, v) -> b.sessionExpiry = v));
        t.put("bridge_tcp_keepalive", (d, b, text) -> tcpKeepAlive(b, text));
        t.put("bridge_tcp_user_timeout", value("bridge_tcp_user_timeout", Value.integer(0, 3_600_000, "60000"),
                (d, b, v) -> b.tcpUserTimeout = v));
        t.put("bridge_reload_type", value("bridge_reload_type", Value.oneOf(List.of("lazy", "immediate"), "lazy"),
                (d, b, v) -> b.reloadImmediate = v.equals("immediate")));
        t.put("bridge_max_queued_messages", value("bridge_max_queued_messages",
                Value.number(0, Long.MAX_VALUE, "100000"), (d, b, v) -> b.maxQueuedMessages = v));
        t.put("bridge_max_queued_bytes", value("bridge_max_queued_bytes", Value.number(0, Long.MAX_VALUE,
                "104857600"), (d, b, v) -> b.maxQueuedBytes = v));
        // What Vane cannot do: refused with the reason, never silently ignored.
        t.put("bridge_identity", (d, b, text) -> {
            throw new ValueProblem("bridge_identity (TLS-PSK) is not supported: Java's TLS has no pre-shared keys;"
                    + " use certificates instead (bridge_cafile, and bridge_certfile/bridge_keyfile if the remote"
                    + " broker asks for a client certificate)");
        });
        t.put("bridge_psk", t.get("bridge_identity"));
        t.put("bridge_require_ocsp", value("bridge_require_ocsp", Value.bool("false"), (d, b, v) -> {
            if (v) {
                throw new ValueProblem("bridge_require_ocsp true is not supported: Vane cannot check OCSP"
                        + " stapling on bridges yet; remove the line (the certificate is still checked"
                        + " against bridge_cafile)");
            }
        }));
        return t;
    }

    /** {@code address host[:port] [host[:port] ...]}, also {@code ws://} and {@code wss://} URLs. */
    private static void addresses(BridgeDraft b, String text) throws ValueProblem {
        if (text.isEmpty()) {
            throw new ValueProblem("address needs a value; write e.g. address broker.example.org:1883");
        }
        for (String word : text.split("[\\s,]+")) {
            if (word.startsWith("#")) {
                break;
            }
            b.addresses.add(address(word));
        }
    }

    static BridgeAddress address(String word) throws ValueProblem {
        String example = "; write e.g. address broker.example.org:1883 or address wss://broker.example.org/mqtt";
        if (word.startsWith("ws://") || word.startsWith("wss://")) {
            boolean secure = word.startsWith("wss://");
            java.net.URI uri;
            try {
                uri = new java.net.URI(word);
            } catch (java.net.URISyntaxException e) {
                throw new ValueProblem("address '" + word + "' is not a valid URL (" + e.getReason() + ")" + example);
            }
            if (uri.getHost() == null) {
                throw new ValueProblem("address '" + word + "' has no host" + example);
            }
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/mqtt" : uri.getRawPath();
            int port = uri.getPort() != -1 ? uri.getPort() : secure ? 443 : 80;
            String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
                    : uri.getHost();
            return new BridgeAddress(host, port, path, secure);
        }
        String host = word;
        int port = 1883;
        int colon = word.lastIndexOf(':');
        if (word.startsWith("[")) {
            int close = word.indexOf(']');
            if (close < 0) {
                throw new ValueProblem("address '" + word + "' opens [ without ]" + example);
            }
            host = word.substring(1, close);
            colon = word.indexOf(':', close);
        } else if (colon >= 0 && word.indexOf(':') != colon) {
            colon = -1; // a bare IPv6 address: no port
        }
        if (colon >= 0) {
            if (!word.startsWith("[")) {
                host = word.substring(0, colon);
            }
            String p = word.substring(colon + 1);
            try {
                port = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65_535) {
                throw new ValueProblem("address '" + word + "' has port '" + p + "'; a port is 1 to 65535" + example);
            }
        }
        if (host.isEmpty()) {
            throw new ValueProblem("address '" + word + "' has no host" + example);
        }
        return BridgeAddress.tcp(host, port);
    }

    /**
     * {@code topic PATTERN [in|out|both [QOS [LOCAL_PREFIX REMOTE_PREFIX]]]}; {@code ""} is an empty
     * pattern or prefix. Defaults: out, QoS 0, no prefixes.
     */
    static BridgeTopic topic(String text) throws ValueProblem {
        String example = "; write e.g. topic sensors/# out 1 house/ public/";
        List<String> words = new ArrayList<>();
        for (String w : text.split("[ \t]+")) {
            if (w.startsWith("#") && !words.isEmpty() && !w.equals("#")) {
                break; // a trailing comment
            }
            if (!w.isEmpty()) {
                words.add(w.equals("\"\"") ? "" : w);
            }
        }
        if (words.isEmpty()) {
            throw new ValueProblem("topic needs a pattern" + example);
        }
        if (words.size() > 5) {
            throw new ValueProblem("topic takes at most a pattern, a direction, a QoS and two prefixes, got '" + text
                    + "'" + example);
        }
        String pattern = words.get(0);
        BridgeTopic.Direction direction = BridgeTopic.Direction.OUT;
        if (words.size() > 1) {
            direction = switch (words.get(1)) {
                case "in" -> BridgeTopic.Direction.IN;
                case "out" -> BridgeTopic.Direction.OUT;
                case "both" -> BridgeTopic.Direction.BOTH;
                default -> throw new ValueProblem("topic direction must be in, out or both, got '" + words.get(1) + "'"
                        + example);
            };
        }
        int qos = 0;
        if (words.size() > 2) {
            switch (words.get(2)) {
                case "0" -> qos = 0;
                case "1" -> qos = 1;
                case "2" -> qos = 2;
                default -> throw new ValueProblem("topic QoS must be 0, 1 or 2, got '" + words.get(2) + "'" + example);
            }
        }
        if (words.size() == 4) {
            throw new ValueProblem("topic needs both prefixes, local then remote (\"\" for none), got only '"
                    + words.get(3) + "'" + example);
        }
        String local = words.size() > 3 ? words.get(3) : "";
        String remote = words.size() > 3 ? words.get(4) : "";
        for (String prefix : List.of(local, remote)) {
            if (prefix.contains("+") || prefix.contains("#")) {
                throw new ValueProblem("topic prefix '" + prefix + "' contains a wildcard; prefixes are plain topic"
                        + " levels" + example);
            }
        }
        if (pattern.isEmpty() && (local.isEmpty() || remote.isEmpty())) {
            throw new ValueProblem("topic \"\" remaps one topic and needs both prefixes as the whole local and"
                    + " remote names; write e.g. topic \"\" in 0 house/temperature public/temperature");
        }
        String filter = local + pattern;
        String invalid = Topics.validateTopicFilter(filter);
        if (invalid != null || Topics.validateTopicFilter(remote + pattern) != null) {
            throw new ValueProblem("topic '" + pattern + "' with its prefixes is not a valid topic filter ("
                    + (invalid != null ? invalid : Topics.validateTopicFilter(remote + pattern)) + ")" + example);
        }
        return new BridgeTopic(pattern, direction, qos, local, remote);
    }

    private static String clientId(String name, String text) throws ValueProblem {
        String id = Value.singleWord(name, text, "house-bridge");
        if (id.length() > 65_535) {
            throw new ValueProblem(name + " is longer than MQTT allows (65,535 bytes)");
        }
        return id;
    }

    /** {@code restart_timeout BASE [CAP]}: one value is a fixed wait, two a jittered back-off. */
    private static void restartTimeout(BridgeDraft b, String text) throws ValueProblem {
        String example = "; write e.g. restart_timeout 5 30 (back off from 5 s to 30 s) or restart_timeout 10";
        String[] words = text.isEmpty() ? new String[0] : text.split("[ \t]+");
        if (words.length == 0 || words.length > 2) {
            throw new ValueProblem("restart_timeout takes one or two numbers of seconds, got '" + text + "'" + example);
        }
        int[] v = new int[words.length];
        for (int i = 0; i < words.length; i++) {
            try {
                v[i] = Integer.parseInt(words[i]);
            } catch (NumberFormatException e) {
                v[i] = -1;
            }
            if (v[i] < 1 || v[i] > 86_400) {
                throw new ValueProblem("restart_timeout needs seconds from 1 to 86400, got '" + words[i] + "'" + example);
            }
        }
        if (v.length == 2 && v[1] < v[0]) {
            throw new ValueProblem("restart_timeout's cap " + v[1] + " is below its base " + v[0] + example);
        }
        b.restartBase = v[0];
        b.restartCap = v.length == 2 ? v[1] : v[0];
    }

    /** {@code bridge_tcp_keepalive IDLE [INTERVAL COUNT]} (Mosquitto 2.1): seconds, seconds, probes. */
    private static void tcpKeepAlive(BridgeDraft b, String text) throws ValueProblem {
        String[] words = text.isEmpty() ? new String[0] : text.split("[ \t]+");
        int[] v = new int[words.length];
        boolean ok = words.length == 1 || words.length == 3;
        for (int i = 0; ok && i < words.length; i++) {
            try {
                v[i] = Integer.parseInt(words[i]);
                ok = v[i] >= (i == 0 ? 0 : 1) && v[i] <= 86_400;
            } catch (NumberFormatException e) {
                ok = false;
            }
        }
        if (!ok) {
            throw new ValueProblem("bridge_tcp_keepalive needs the idle seconds (0 to 86400), optionally followed by"
                    + " the probe interval and count, got '" + text + "'; write e.g. bridge_tcp_keepalive 60 or"
                    + " bridge_tcp_keepalive 60 10 3");
        }
        b.tcpKeepAlive = v[0];
        if (v.length == 3) {
            b.tcpKeepAliveInterval = v[1];
            b.tcpKeepAliveCount = v[2];
        }
    }
}
