package io.vane.app.config;

import io.vane.broker.BrokerSettings;
import io.vane.transport.ListenerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The mutable state of one parse; the option table writes into it and {@link #freeze} turns it
 * into an immutable {@link VaneConfig}. Owned by the thread running the parse.
 */
final class ConfigDraft {

    final Path workingDirectory;

    /** BrokerSettings, starting at Mosquitto's defaults. */
    final BrokerSettings.Builder broker = BrokerSettings.builder();

    Boolean allowAnonymous;
    /** simulate_weather; null when not written: on without a config file, off with one. */
    Boolean simulateWeather;
    /** simulate_p1; null when not written: on without a config file, off with one. */
    Boolean simulateP1;
    /** dsmr_source lines, dsmr_topic_prefix and dsmr_refresh_interval. */
    final List<DeviceSettings.Meter> meters = new ArrayList<>();
    String dsmrTopicPrefix = DeviceSettings.DEFAULT_DSMR_PREFIX;
    int dsmrRefreshSeconds;
    /** simulate_opentherm (null: on without a config file), opentherm_source lines and their options. */
    Boolean simulateOpenTherm;
    final List<DeviceSettings.Gateway> gateways = new ArrayList<>();
    String openThermPrefix = DeviceSettings.Boilers.DEFAULT_PREFIX;
    int openThermRefreshSeconds = DeviceSettings.Boilers.DEFAULT_REFRESH;
    /** anonymous_home_data: from where anonymous clients may read the home's meter and boiler topics. */
    io.vane.broker.security.HomeData homeData = io.vane.broker.security.HomeData.LOCAL;
    /** history_topics / history_hours: what the dashboard's charts keep. */
    java.util.List<String> historyTopics = DashboardSettings.DEFAULTS.historyTopics();
    int historyHours = DashboardSettings.DEFAULTS.historyHours();
    /** history_days: how long the downsampled history is kept on disk. */
    int historyDays = DashboardSettings.DEFAULT_HISTORY_DAYS;
    /** io_threads; 0 = one event loop per core. */
    int ioThreads;
    /** http_threads: workers for history answers and http_dir files. */
    int httpThreads = DashboardSettings.DEFAULT_HTTP_THREADS;
    /** connect_timeout: seconds from accept to a completed CONNECT. */
    int connectTimeout = AppSettings.DEFAULT_CONNECT_TIMEOUT;
    java.nio.file.Path passwordFile;
    java.nio.file.Path aclFile;
    boolean perListenerSettings;
    String persistenceFile;
    java.nio.file.Path pidFile;
    int autosaveInterval = PersistenceSettings.DEFAULTS.autosaveInterval();
    /** http_metrics_allow / http_health_allow: who may read the operator's pages beyond loopback. */
    OpsSettings ops = OpsSettings.LOOPBACK;

    // Logging: the first log_dest / log_type replaces Mosquitto's default set, later ones add to it.
    final Set<LogSettings.Destination> logDestinations = EnumSet.noneOf(LogSettings.Destination.class);
    boolean logDestinationsSet;
    Path logFile;
    final Set<LogSettings.Type> logTypes = EnumSet.noneOf(LogSettings.Type.class);
    boolean logTypesSet;
    boolean logTimestamp;
    String logTimestampFormat;
    boolean connectionMessages;

    final ListenerDraft defaultListener = new ListenerDraft(null, null, null);
    final List<ListenerDraft> listeners = new ArrayList<>();
    /** The section listener-scoped options apply to: the latest listener, or the default one. */
    ListenerDraft current = defaultListener;

    /** Every {@code connection} section in file order, and the one bridge options apply to (null before any). */
    final List<BridgeDraft> bridges = new ArrayList<>();
    BridgeDraft bridge;

    /** Which listener section last set a value Vane can only apply to all listeners at once. */
    ListenerDraft maxQosOwner;
    ListenerDraft maxTopicAliasOwner;

    /** Every bad line so far, in reading order; the parse goes on so that one start reports them all. */
    final List<ConfigException> problems = new ArrayList<>();
    /** The files read, in order, to sort problems found after reading (a bridge section) into place. */
    final List<Path> fileOrder = new ArrayList<>();
    /** {@code file:line} of the line being read, for notices, and the two apart. */
    String where = "";
    Path file;
    int line;
    /** The dynamic-security plugin lines (PluginOptions), and the file they give every listener. */
    final List<PluginOptions.Line> dynsecPlugins = new ArrayList<>();
    Path dynsecFile;
    /** Start-up notices: an option accepted but not applied, and why (decision 0017). */
    final List<String> notices = new ArrayList<>();
    /** The user Vane runs as, for the {@code user} option. */
    String runningUser = "";

    /** Records that the current line is accepted but not applied, and why. */
    void notice(String text) {
        notices.add(where + ": " + text);
    }

    ConfigDraft(Path workingDirectory) {
        this.workingDirectory = workingDirectory;
        LogSettings l = LogSettings.defaults();
        logTimestamp = l.timestamp();
        logTimestampFormat = l.timestampFormat();
        connectionMessages = l.connectionMessages();
    }

    /** Relative paths mean the working directory, as they do for Mosquitto (it never chdirs). */
    Path resolve(String path) {
        return workingDirectory.resolve(path);
    }

    /**
     * The listener list as Mosquitto builds it: the explicit listeners in file order, then the
     * default listener if the file has none or configured it (port, bind_address, or listener
     * options written before the first {@code listener} line).
     */
    List<ListenerConfig> freezeListeners() {
        if (localOnly) {
            // Mosquitto 2.0's local-only mode (decision 0016): a file with no listener listens on loopback.
            defaultListener.bindAddress = LOOPBACK;
        }
        List<ListenerConfig> result = new ArrayList<>();
        for (ListenerDraft listener : listeners) {
            certificateNameNotice(listener);
            result.add(listener.freeze());
        }
        if (listeners.isEmpty() || defaultListener.configured()) {
            ListenerConfig l = defaultListener.freeze();
            result.add(l);
            if (localOnly && l.port() != 0 && ipv6Loopback()) {
                // Mosquitto 2.0 listens on "localhost", both loopbacks: a client that resolves localhost to
                // ::1 first connects without falling back.
                result.add(new ListenerConfig(l.port(), LOOPBACK_IPV6, l.protocol(), l.maxConnections(),
                        l.httpDir(), l.trustedProxies(), l.allowedOrigins(), l.maxFrameSize(), l.tls()));
            }
        }
        return result;
    }

    /** Whether this machine has ::1 (not where IPv6 is switched off, where binding it would stop start-up). */
    private static boolean ipv6Loopback() {
        try {
            return java.net.NetworkInterface.getByInetAddress(java.net.InetAddress.getByName(LOOPBACK_IPV6)) != null;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * use_identity_as_username / use_subject_as_username where they cannot do what the file may expect; both
     * behave as in Mosquitto, which says nothing.
     */
    private void certificateNameNotice(ListenerDraft l) {
        if (l.certificateName() == io.vane.broker.auth.CertificateName.NONE) {
            return;
        }
        String option = l.useIdentity ? "use_identity_as_username" : "use_subject_as_username";
        if (l.certfile == null) {
            notices.add(l.openedAt + ": " + option + " has no effect on this listener without certfile and keyfile:"
                    + " its clients log in with CONNECT's user name and password");
        } else if (!l.requireCertificate) {
            notices.add(l.openedAt + ": " + option + " without require_certificate true: the listener asks no client"
                    + " for a certificate, so every client is refused (as in Mosquitto); write require_certificate true");
        }
    }

    /**
     * The {@code connection} sections with their defaults; two bridges may not share a client id, here
     * or at the remote broker.
     */
    List<io.vane.broker.bridge.BridgeSettings> freezeBridges(String hostName) {
        List<io.vane.broker.bridge.BridgeSettings> result = new ArrayList<>();
        java.util.Map<String, BridgeDraft> localIds = new java.util.HashMap<>();
        for (BridgeDraft b : bridges) {
            io.vane.broker.bridge.BridgeSettings s;
            try {
                s = b.freeze(hostName);
            } catch (ConfigException e) {
                problems.add(e); // reported with the file's other problems, in one start
                continue;
            }
            BridgeDraft other = localIds.put(s.localClientId(), b);
            if (other != null) {
                problems.add(new ConfigException(b.file, b.line, "connection " + b.name + " has local client id "
                        + s.localClientId() + ", as connection " + other.name + " at " + other.file + ":"
                        + other.line + " does; set local_clientid (or remote_clientid) so each bridge has its own"));
                continue;
            }
            result.add(s);
        }
        return result;
    }

    /** Where Mosquitto 2.0's local-only mode listens: both loopbacks, ::1 where the machine has it. */
    static final String LOOPBACK = "127.0.0.1";
    static final String LOOPBACK_IPV6 = "::1";

    /**
     * Set by {@link #freeze}: a config file with no listener at all (no {@code listener}, {@code port},
     * {@code bind_address}) runs in Mosquitto 2.0's local-only mode, on {@code -p}'s port if given.
     */
    private boolean localOnly;
    /** Whether the file itself (not {@code -p}) configures a listener; null when the parser did not say. */
    Boolean fileHasListener;

    /**
     * Mosquitto 2.0's rules for a config file (decision 0016): allow_anonymous unset means false, except in
     * local-only mode, where Mosquitto lets this machine's clients in anonymously. Only the run without a
     * config file ({@code source == null}) keeps null, which selects Vane's read-only demo policy.
     */
    private Boolean anonymousDefault(Boolean written, Path source) {
        if (written != null || source == null) {
            return written;
        }
        return localOnly;
    }

    VaneConfig freeze(Path source) {
        localOnly = source != null && !(fileHasListener != null ? fileHasListener
                : !listeners.isEmpty() || defaultListener.configured());
        allowAnonymous = anonymousDefault(allowAnonymous, source);
        for (ListenerDraft l : listeners) {
            l.allowAnonymous = anonymousDefault(l.allowAnonymous, source);
        }
        defaultListener.allowAnonymous = anonymousDefault(defaultListener.allowAnonymous, source);
        BrokerSettings broker = this.broker.build();
        LogSettings defaults = LogSettings.defaults();
        LogSettings logging = new LogSettings(
                logDestinationsSet ? logDestinations : defaults.destinations(),
                logFile,
                logTypesSet ? logTypes : defaults.types(),
                logTimestamp, logTimestampFormat, connectionMessages);
        return new VaneConfig(source, broker, freezeListeners(), logging, allowAnonymous,
                new AppSettings(new DashboardSettings(historyTopics, historyHours, httpThreads, historyDays),
                        new DeviceSettings(simulateWeather == null ? source == null : simulateWeather,
                                simulateP1 == null ? source == null : simulateP1, meters, dsmrTopicPrefix,
                                dsmrRefreshSeconds, new DeviceSettings.Boilers(simulateOpenTherm == null ? source == null
                                        : simulateOpenTherm, gateways, openThermPrefix, openThermRefreshSeconds)),
                        new PersistenceSettings(persistenceFile, autosaveInterval), ioThreads, perListenerSettings,
                        pidFile, connectTimeout).withOps(ops).withNotices(allNotices()),
                security());
    }

    private List<String> allNotices() {
        List<String> all = new ArrayList<>(notices);
        if (localOnly) {
            all.add(0, "No listener is configured, so Vane listens on " + LOOPBACK + (ipv6Loopback() ? " and "
                    + LOOPBACK_IPV6 : "") + " port "
                    + defaultListener.effectivePort() + " only (Mosquitto 2.0's local-only mode): only clients on this"
                    + " machine can connect" + (Boolean.TRUE.equals(allowAnonymous) ? ", anonymously" : "")
                    + ". Write a listener line (e.g. listener 1883) to allow remote access.");
        }
        return all;
    }

    /** Global security settings, or one set per listener port with per_listener_settings true. */
    private SecurityConfig security() {
        io.vane.broker.security.SecuritySettings global =
                new io.vane.broker.security.SecuritySettings(allowAnonymous, passwordFile, aclFile, dynsecFile);
        java.util.Map<Integer, io.vane.broker.security.SecuritySettings> byPort = new java.util.HashMap<>();
        if (perListenerSettings) {
            for (ListenerDraft l : listeners) {
                byPort.put(l.effectivePort(), l.security());
            }
            if (listeners.isEmpty() || defaultListener.configured()) {
                byPort.put(defaultListener.effectivePort(), defaultListener.security());
            }
        }
        return new SecurityConfig(global, byPort).withHomeData(homeData);
    }
}
