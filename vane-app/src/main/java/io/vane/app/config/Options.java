package io.vane.app.config;

import io.vane.broker.BrokerSettings;
import io.vane.transport.ListenerConfig.Protocol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The option table: every mosquitto.conf option Vane knows, with its scope, value syntax and where
 * it is stored. {@code listener} and {@code include_dir} change how the file is read, so
 * {@link ConfigParser} handles those two itself.
 */
final class Options {


    /**
     * Options Vane does not implement whose absence would weaken security or change what clients see:
     * each stops start-up with why, and never with advice that silently opens the broker (decision 0017).
     */
    private static final Map<String, String> REFUSED = Map.ofEntries(
            Map.entry("mount_point", "Vane has no mount points yet; without it this listener's clients would read"
                    + " and write outside their mount point; give them an acl_file with pattern rules instead"),
            Map.entry("psk_file", "Java's TLS offers no pre-shared keys; ignoring it would turn a TLS-PSK listener"
                    + " into plain TCP; use certfile and keyfile (vane cert) instead"),
            Map.entry("psk_hint", "Java's TLS offers no pre-shared keys; ignoring it would turn a TLS-PSK listener"
                    + " into plain TCP; use certfile and keyfile (vane cert) instead"),
            Map.entry("tls_engine", "Vane reads keys from PEM files only; write keyfile with the PEM private key"),
            Map.entry("tls_keyform", "Vane reads keys from PEM files only; write keyfile with the PEM private key"),
            Map.entry("tls_engine_kpass_sha1", "Vane reads keys from PEM files only; write keyfile with the PEM"
                    + " private key"),
            Map.entry("use_username_as_clientid", "Vane does not yet replace client ids by user names; without it a"
                    + " client could take over another user's session; give each client its own client id"),
            Map.entry("bind_interface", "Vane binds addresses, not interfaces; ignoring it would listen on every"
                    + " interface; write listener PORT ADDRESS with the interface's address"),
            Map.entry("clientid_prefixes", "Vane does not check client id prefixes; ignoring it would let any client"
                    + " id connect; use password_file and acl_file to say who may connect"),
            Map.entry("auth_plugin", "Vane does not load Mosquitto plugins; do not comment it out: the plugin's"
                    + " access control would be gone; move its users to password_file and acl_file first"),
            Map.entry("global_plugin", "Vane does not load Mosquitto plugins; do not comment it out: the plugin's"
                    + " access control would be gone; move its users to password_file and acl_file first"),
            Map.entry("accept_protocol_versions", "Vane does not yet restrict protocol versions per listener;"
                    + " ignoring it would let older clients in"));

    /** Options that cannot apply to Vane and are accepted with a notice saying why (decision 0017). */
    private static final Map<String, String> IGNORED = Map.ofEntries(
            Map.entry("log_facility", "Vane does not log to syslog; under systemd its stderr goes to the journal"),
            Map.entry("check_retain_source", "Vane does not re-check a retained message's publisher at delivery;"
                    + " a retained message stays readable (as the ACL allows readers) after its publisher loses"
                    + " write access; clear it by publishing an empty retained message"),
            Map.entry("dhparamfile", "Java's TLS uses its own finite-field groups (RFC 7919) and prefers ECDHE;"
                    + " the file is not read"),
            Map.entry("websockets_log_level", "libwebsockets' log levels do not apply to Vane's WebSocket code;"
                    + " its messages follow log_type"),
            Map.entry("websockets_headers_size", "Vane accepts WebSocket upgrade headers up to 8 KiB"),
            Map.entry("memory_limit", "Vane's memory is set by the JVM (-Xmx, or MemoryMax= in the systemd unit);"
                    + " queues are bounded by max_queued_bytes and global_max_queued_bytes"),
            Map.entry("max_inflight_bytes", "Vane limits in-flight messages by count (max_inflight_messages) and"
                    + " queued bytes (max_queued_bytes)"),
            Map.entry("allow_duplicate_messages", "obsolete since Mosquitto 2.0; a subscriber gets one copy of each"
                    + " message"),
            Map.entry("auth_plugin_deny_special_chars", "Vane loads no plugins, so there is nothing to protect"),
            Map.entry("retry_interval", "obsolete since Mosquitto 2.0; unacknowledged messages are resent on"
                    + " reconnect, as the MQTT specification says"),
            Map.entry("store_clean_interval", "obsolete since Mosquitto 2.0"),
            Map.entry("global_max_clients", "not a Mosquitto 2.0 option; use max_connections per listener"),
            Map.entry("global_max_connections", "not a Mosquitto 2.0 option; use max_connections per listener"),
            Map.entry("enable_control_api", "Vane has no $CONTROL API; there is nothing to enable"),
            Map.entry("disable_client_cert_date_checks", "Vane always checks client certificate dates, which is"
                    + " stricter"));
    /** Families of Mosquitto options recognised by prefix. */
    private static final Map<String, String> PREFIXES = Map.of("plugin_opt_", "options of a plugin, which Vane"
            + " does not load (see the plugin line)", "auth_opt_", "options of a plugin, which Vane does not load"
            + " (see the auth_plugin line)");

    /** Names handled by {@link ConfigParser} itself. */
    static final List<String> STRUCTURAL = List.of("listener", "connection", "include_dir");

    private static final Map<String, Option> TABLE = build();

    private Options() {
    }

    /** A list option's values: separated by spaces or commas. */
    private static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String w : text.split("[\\s,]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return List.copyOf(out);
    }

    /** The row for {@code name}, including not-yet-supported Mosquitto options. */
    static Optional<Option> find(String name) {
        Option option = TABLE.get(name);
        if (option == null) {
            for (Map.Entry<String, String> prefix : PREFIXES.entrySet()) {
                if (name.startsWith(prefix.getKey())) {
                    return Optional.of(Option.ignored(name, prefix.getValue()));
                }
            }
        }
        return Optional.ofNullable(option);
    }

    /** Names a user may be trying to write, for suggestions: supported and planned options. */
    static List<String> suggestable() {
        List<String> names = new ArrayList<>(supported());
        names.addAll(REFUSED.keySet());
        return names;
    }

    /** Options Vane implements now, sorted. */
    static List<String> supported() {
        List<String> names = new ArrayList<>(STRUCTURAL);
        TABLE.values().stream().filter(o -> o.scope == Option.Scope.GLOBAL || o.scope == Option.Scope.LISTENER)
                .forEach(o -> names.add(o.name));
        names.sort(null);
        return names;
    }

    private static Map<String, Option> build() {
        Map<String, Option> t = new LinkedHashMap<>();
        List<Option> rows = List.of(
                Option.global("allow_anonymous", Value.bool("true"), (d, v) -> {
                    if (d.perListenerSettings) {
                        d.current.allowAnonymous = v;
                    } else {
                        d.allowAnonymous = v;
                    }
                }),
                // Vane always sends without Nagle's delay; the option is accepted so Mosquitto configs load.
                Option.global("set_tcp_nodelay", Value.bool("true"), (d, v) -> {
                    if (!v) {
                        d.notice("set_tcp_nodelay false is ignored: Vane always sends without Nagle's delay"
                                + " and batches its writes per event-loop turn instead");
                    }
                }),
                Option.global("history_topics", Value.text("weather/loop dsmr/reading"),
                        (d, v) -> d.historyTopics = words(v)),
                Option.global("history_hours", Value.integer(1, 24 * 31, "24"), (d, v) -> d.historyHours = v),
                // Vane's own (decision 0012): the week, month and year charts, on disk with persistence true.
                Option.global("history_days", Value.integer(1, 3660, "400"), (d, v) -> d.historyDays = v),
                Option.global("io_threads", Value.integer(0, 256, "2"), (d, v) -> d.ioThreads = v),
                Option.global("http_threads", Value.integer(1, 16, "1"), (d, v) -> d.httpThreads = v),
                // Vane's own (decision 0008): Mosquitto waits for a CONNECT for ever.
                Option.global("connect_timeout", Value.integer(1, AppSettings.MAX_CONNECT_TIMEOUT, "20"),
                        (d, v) -> d.connectTimeout = v),
                // Vane's own (issue 16): /metrics and /health answer loopback clients and these networks.
                Option.global("http_metrics_allow", Value.text("10.0.0.0/8 192.168.0.0/16"),
                        (d, v) -> d.ops = new OpsSettings(allowRule("http_metrics_allow", v), d.ops.healthAllow())),
                Option.global("http_health_allow", Value.text("10.0.0.0/8 192.168.0.0/16"),
                        (d, v) -> d.ops = new OpsSettings(d.ops.metricsAllow(), allowRule("http_health_allow", v))),
                Option.global("simulate_weather", Value.bool("true"), (d, v) -> d.simulateWeather = v),
                // Vane's own: the DSMR P1 smart meter (docs/devices/p1.md) and who may read home data.
                Option.global("simulate_p1", Value.bool("true"), (d, v) -> d.simulateP1 = v),
                Option.global("dsmr_source", Value.text("meter serial:/dev/ttyUSB0"), DeviceOptions::dsmrSource),
                Option.global("dsmr_topic_prefix", Value.word("dsmr"), DeviceOptions::dsmrTopicPrefix),
                Option.global("dsmr_refresh_interval", Value.integer(0, 86_400, "60"),
                        (d, v) -> d.dsmrRefreshSeconds = v),
                // Vane's own: the OpenTherm gateway (docs/devices/opentherm.md).
                Option.global("simulate_opentherm", Value.bool("true"), (d, v) -> d.simulateOpenTherm = v),
                Option.global("opentherm_source", Value.text("boiler serial:/dev/ttyUSB1"), DeviceOptions::openThermSource),
                Option.global("opentherm_topic_prefix", Value.word("opentherm"), DeviceOptions::openThermTopicPrefix),
                Option.global("opentherm_refresh", Value.integer(0, 86_400, "300"),
                        (d, v) -> d.openThermRefreshSeconds = v),
                Option.global("anonymous_home_data", Value.oneOf(List.of("local", "anywhere", "never"), "local"),
                        (d, v) -> {
                            d.homeData = io.vane.broker.security.HomeData.parse(v);
                            d.notice("anonymous_home_data has no effect with a config file: it narrows the demo"
                                    + " policy of the run without one (decisions 0014, 0016); here allow_anonymous"
                                    + " and acl_file decide who reads dsmr/# and opentherm/#");
                        }),
                Option.global("password_file", Value.text("/etc/mosquitto/pwfile"), (d, v) -> {
                    if (d.perListenerSettings) {
                        d.current.passwordFile = d.resolve(v);
                    } else {
                        d.passwordFile = d.resolve(v);
                    }
                }),
                Option.global("acl_file", Value.text("/etc/mosquitto/aclfile"), (d, v) -> {
                    if (d.perListenerSettings) {
                        d.current.aclFile = d.resolve(v);
                    } else {
                        d.aclFile = d.resolve(v);
                    }
                }),
                Option.global("max_inflight_messages", Value.integer(0, 65535, "20"),
                        (d, v) -> d.broker.maxInflightMessages(v)),
                Option.global("max_queued_messages", Value.integer(0, Integer.MAX_VALUE, "1000"),
                        (d, v) -> d.broker.maxQueuedMessages(v)),
                Option.global("max_queued_bytes", Value.number(0, Long.MAX_VALUE, "1000000"),
                        (d, v) -> d.broker.maxQueuedBytes(v)),
                Option.global("max_packet_size",
                        Value.integer(20, BrokerSettings.PROTOCOL_MAX_PACKET_SIZE, "1048576"),
                        (d, v) -> d.broker.maxPacketSize(v)),
                Option.global("message_size_limit", Value.number(0, 268_435_455, "1048576"),
                        (d, v) -> d.broker.messageSizeLimit(v)),
                // Vane's own limits (docs/decisions/0006-size-limits.md); Mosquitto has none of them.
                Option.global("max_topic_levels", Value.integer(0, 65_535, "201"),
                        (d, v) -> d.broker.maxTopicLevels(v)),
                Option.global("max_retained_messages", Value.number(0, Long.MAX_VALUE, "100000"),
                        (d, v) -> d.broker.maxRetainedMessages(v)),
                Option.global("max_retained_bytes", Value.number(0, Long.MAX_VALUE, "67108864"),
                        (d, v) -> d.broker.maxRetainedBytes(v)),
                Option.global("max_keepalive", Value.integer(0, 65535, "60"), (d, v) -> d.broker.maxKeepalive(v)),
                Option.global("sys_interval", Value.integer(0, 65535, "10"), (d, v) -> d.broker.sysInterval(v)),
                Option.global("persistence", Value.bool("true"), (d, v) -> d.broker.persistence(v)),
                Option.global("persistence_location", Value.text("/var/lib/vane/"),
                        (d, v) -> d.broker.persistenceLocation(d.resolve(v))),
                Option.global("persistence_file", Value.text("mosquitto.db"), (d, v) -> d.persistenceFile = v),
                Option.global("autosave_interval", Value.integer(0, Integer.MAX_VALUE, "1800"),
                        (d, v) -> d.autosaveInterval = v),
                Option.global("retain_available", Value.bool("true"), (d, v) -> d.broker.retainAvailable(v)),
                Option.global("allow_zero_length_clientid", Value.bool("true"),
                        (d, v) -> d.broker.allowZeroLengthClientid(v)),
                Option.global("auto_id_prefix", Value.text("auto-"), (d, v) -> d.broker.autoIdPrefix(v)),
                Option.global("queue_qos0_messages", Value.bool("false"), (d, v) -> d.broker.queueQos0Messages(v)),
                Option.global("upgrade_outgoing_qos", Value.bool("false"), (d, v) -> d.broker.upgradeOutgoingQos(v)),
                Option.global("persistent_client_expiration", Value.duration("14d"),
                        (d, v) -> d.broker.persistentClientExpiration(v)),
                Option.global("pid_file", Value.text("/run/vane/vane.pid"), (d, v) -> d.pidFile = d.resolve(v)),
                Option.global("max_offline_sessions", Value.number(0, Long.MAX_VALUE, "10000"),
                        (d, v) -> d.broker.maxOfflineSessions(v)),
                Option.global("global_max_queued_bytes", Value.number(0, Long.MAX_VALUE, "67108864"),
                        (d, v) -> d.broker.globalMaxQueuedBytes(v)),
                Option.global("slow_subscriber_timeout", Value.integer(0, 3600, "10"),
                        (d, v) -> d.broker.slowSubscriberTimeout(v)),
                Option.global("retained_persistence", Value.bool("true"), (d, v) -> d.broker.retainedPersistence(v)),
                // Vane writes each change before acknowledging it: there is no snapshot for this to time
                // (docs/decisions/0011), so the option is accepted with nothing to do.
                Option.global("autosave_on_changes", Value.bool("false"), (d, v) ->
                        d.notice("autosave_on_changes is ignored: Vane writes every change before acknowledging it"
                                + " (decision 0011), so there is no snapshot to time")),
                Option.global("user", Value.word("vane"), Options::user),
                Option.global("plugin", Value.text("/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so"),
                        PluginOptions::plugin),
                Option.global("plugin_opt_config_file", Value.text("/var/lib/mosquitto/dynamic-security.json"),
                        PluginOptions::configFile),
                Option.global("per_listener_settings", Value.bool("false"),
                        // Mosquitto: once set it cannot be unset.
                        (d, v) -> d.perListenerSettings |= v),
                Option.global("log_dest", Value.text("stderr"), LogOptions::destination),
                Option.global("log_type", Value.oneOf(LogOptions.TYPE_WORDS, "all"), LogOptions::type),
                Option.global("log_timestamp", Value.bool("true"), (d, v) -> d.logTimestamp = v),
                Option.global("log_timestamp_format", Value.text("%Y-%m-%dT%H:%M:%S"),
                        LogOptions::timestampFormat),
                Option.global("connection_messages", Value.bool("true"), (d, v) -> d.connectionMessages = v),
                Option.global("port", Value.integer(1, 65535, "1883"), (d, v) -> d.defaultListener.port = v),
                Option.global("bind_address", Value.word("127.0.0.1"), Options::bindAddress),
                Option.listener("protocol", Value.oneOf(List.of("mqtt", "websockets"), "websockets"),
                        (d, l, v) -> l.protocol = Protocol.valueOf(v.toUpperCase(Locale.ROOT))),
                Option.listener("socket_domain", Value.oneOf(List.of("ipv4", "ipv6"), "ipv4"), Options::socketDomain),
                Option.listener("max_connections", Value.integer(-1, Integer.MAX_VALUE, "100"),
                        (d, l, v) -> l.maxConnections = v),
                Option.listener("certfile", Value.text("/etc/letsencrypt/live/example.org/fullchain.pem"),
                        (d, l, v) -> l.certfile = d.resolve(v)),
                Option.listener("keyfile", Value.text("/etc/letsencrypt/live/example.org/privkey.pem"),
                        (d, l, v) -> l.keyfile = d.resolve(v)),
                Option.listener("cafile", Value.text("/etc/vane/ca.pem"), (d, l, v) -> l.cafile = d.resolve(v)),
                Option.listener("capath", Value.text("/etc/ssl/certs"), TlsOptions::capath),
                Option.listener("crlfile", Value.text("/etc/vane/crl.pem"), TlsOptions::crlfile),
                Option.listener("require_certificate", Value.bool("true"), (d, l, v) -> l.requireCertificate = v),
                Option.listener("use_identity_as_username", Value.bool("true"), (d, l, v) -> l.useIdentity = v),
                Option.listener("use_subject_as_username", Value.bool("true"), (d, l, v) -> l.useSubject = v),
                Option.listener("tls_version", Value.oneOf(List.of("tlsv1.2", "tlsv1.3"), "tlsv1.2"),
                        (d, l, v) -> l.tlsVersion = v),
                Option.listener("ciphers", Value.text("ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384"),
                        (d, l, v) -> l.ciphers = v),
                Option.listener("ciphers_tls1.3", Value.text("TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384"),
                        (d, l, v) -> l.ciphersTls13 = v),
                Option.listener("http_dir", Value.text("/var/www/vane"), (d, l, v) -> l.httpDir = d.resolve(v)),
                Option.listener("trusted_proxies", Value.text("127.0.0.1 ::1"), (d, l, v) -> l.trustedProxies = words(v)),
                Option.listener("allowed_origins", Value.text("https://weather.example.org"),
                        (d, l, v) -> l.allowedOrigins = words(v)),
                Option.listener("max_frame_size", Value.integer(0, Integer.MAX_VALUE, "65536"),
                        (d, l, v) -> l.maxFrameSize = v),
                Option.listener("max_qos", Value.integer(0, 2, "1"), Options::maxQos),
                // The spelling Mosquitto's own test configs use; the same option.
                Option.listener("maximum_qos", Value.integer(0, 2, "1"), Options::maxQos),
                Option.listener("max_topic_alias", Value.integer(0, 65535, "10"), Options::maxTopicAlias));
        rows.forEach(o -> t.put(o.name, o));
        REFUSED.forEach((n, why) -> t.put(n, Option.notYet(n, why)));
        IGNORED.forEach((n, why) -> t.put(n, Option.ignored(n, why)));
        BridgeOptions.names().forEach(n -> t.put(n, Option.bridge(n)));
        return Map.copyOf(t);
    }

    /**
     * Mosquitto drops to {@code user} after binding; Vane never switches users. As root with another
     * user named it stops, because it would otherwise keep running with more rights than the file asked
     * for; {@code user root} says running as root is meant.
     */
    private static void user(ConfigDraft d, String name) throws ValueProblem {
        if (d.runningUser.equals(name)) {
            d.notice("user " + name + ": Vane runs as " + name + " already");
        } else if (d.runningUser.equals("root")) {
            throw new ValueProblem("user " + name + ": Vane does not switch users itself and would keep running as"
                    + " root; start it as " + name + " (the packaged unit runs as vane: systemctl start vane), or"
                    + " write user root to run as root knowingly");
        } else {
            d.notice("user " + name + " is ignored: Vane does not switch users; it runs as " + d.runningUser
                    + ", the user that started it");
        }
    }

    /** socket_domain: without a bind address, listen on every IPv4 or every IPv6 address only. */
    private static void socketDomain(ConfigDraft d, ListenerDraft l, String domain) throws ValueProblem {
        if (l.bindAddress == null) {
            l.bindAddress = domain.equals("ipv4") ? "0.0.0.0" : "::";
        } else if (domain.equals("ipv4") == l.bindAddress.contains(":")) {
            throw new ValueProblem("socket_domain " + domain + " does not fit the listener's address "
                    + l.bindAddress + "; write the address of that family, or remove socket_domain");
        }
    }

    /** A list of networks for an http_*_allow option; a bad entry is the line's problem. */
    private static io.vane.transport.ops.AddressRule allowRule(String name, String v) throws ValueProblem {
        try {
            return io.vane.transport.ops.AddressRule.loopbackAnd(words(v));
        } catch (IllegalArgumentException e) {
            throw new ValueProblem(name + ": " + e.getMessage());
        }
    }

    /**
     * Mosquitto applies bind_address to the default listener wherever it is written, so after a
     * {@code listener} line it silently makes a second listener; refuse that instead.
     */
    private static void bindAddress(ConfigDraft d, String address) throws ValueProblem {
        if (d.current != d.defaultListener) {
            throw new ValueProblem("bind_address sets the default listener, not the listener opened at "
                    + d.current.openedAt + "; write listener " + d.current.port + " " + address);
        }
        d.defaultListener.bindAddress = address;
    }

    /*
     * Mosquitto keeps max_qos and max_topic_alias per listener; BrokerSettings has one value for all.
     * Accept them in any listener section as long as the sections agree.
     */
    private static void maxQos(ConfigDraft d, ListenerDraft l, int value) throws ValueProblem {
        d.maxQosOwner = sameForAll(d.maxQosOwner, l, d.broker.maxQos(), value, "max_qos");
        d.broker.maxQos(value);
        l.maxQosSet = value != 2;
    }

    private static void maxTopicAlias(ConfigDraft d, ListenerDraft l, int value) throws ValueProblem {
        d.maxTopicAliasOwner = sameForAll(d.maxTopicAliasOwner, l, d.broker.maxTopicAlias(), value, "max_topic_alias");
        d.broker.maxTopicAlias(value);
    }

    private static ListenerDraft sameForAll(ListenerDraft owner, ListenerDraft l, int old, int value, String name)
            throws ValueProblem {
        if (owner != null && owner != l && old != value) {
            throw new ValueProblem(name + " " + value + " differs from " + name + " " + old
                    + " set for another listener; Vane applies one " + name + " to every listener for now;"
                    + " write " + name + " " + old);
        }
        return l;
    }
}
