package io.vane.app.config;

import java.util.Objects;

/**
 * The settings of Vane's parts around the broker, each part in its own named record so that adding
 * one touches one record and its options, not every constructor call.
 *
 * @param ioThreads io_threads (Vane's own): network event loops; 0 = one per core
 * @param perListenerSettings per_listener_settings, as written (the per-listener security it selects
 *     is in {@link SecurityConfig})
 * @param pidFile pid_file: where the vane command writes its process id at start, or null
 * @param connectTimeout connect_timeout (Vane's own): seconds from accept within which TLS, the WebSocket
 *     upgrade and CONNECT must be done (decision 0008)
 * @param ops who may read /metrics and /health beyond loopback (http_metrics_allow, http_health_allow)
 * @param notices one line per option the file wrote that Vane accepts but does not apply, each saying why;
 *     logged once at start-up so nothing is ignored silently (decision 0017)
 * @param bridges the {@code connection} sections, in config order
 */
public record AppSettings(DashboardSettings dashboard, DeviceSettings devices, PersistenceSettings persistence,
        int ioThreads, boolean perListenerSettings, java.nio.file.Path pidFile, int connectTimeout,
        OpsSettings ops, java.util.List<String> notices,
        java.util.List<io.vane.broker.bridge.BridgeSettings> bridges) {

    /** connect_timeout when not written, in seconds. */
    public static final int DEFAULT_CONNECT_TIMEOUT = 20;
    /** The longest connect_timeout accepted: an hour is already far more than any client needs. */
    public static final int MAX_CONNECT_TIMEOUT = 3600;

    public AppSettings {
        Objects.requireNonNull(dashboard, "dashboard");
        Objects.requireNonNull(devices, "devices");
        Objects.requireNonNull(persistence, "persistence");
        Objects.requireNonNull(ops, "ops");
        notices = java.util.List.copyOf(notices);
        bridges = java.util.List.copyOf(bridges);
        if (connectTimeout < 1 || connectTimeout > MAX_CONNECT_TIMEOUT) {
            throw new IllegalArgumentException("connectTimeout must be 1 to " + MAX_CONNECT_TIMEOUT + " seconds, not "
                    + connectTimeout);
        }
    }

    /** The settings before the operator's pages: those answer loopback clients only. */
    public AppSettings(DashboardSettings dashboard, DeviceSettings devices, PersistenceSettings persistence,
            int ioThreads, boolean perListenerSettings, java.nio.file.Path pidFile, int connectTimeout) {
        this(dashboard, devices, persistence, ioThreads, perListenerSettings, pidFile, connectTimeout,
                OpsSettings.LOOPBACK, java.util.List.of(), java.util.List.of());
    }

    /** Mosquitto's defaults, nothing simulated. */
    public static AppSettings defaults() {
        return new AppSettings(DashboardSettings.DEFAULTS, DeviceSettings.NONE, PersistenceSettings.DEFAULTS, 0, false, null,
                DEFAULT_CONNECT_TIMEOUT);
    }

    public AppSettings withDevices(DeviceSettings newDevices) {
        return new AppSettings(dashboard, newDevices, persistence, ioThreads, perListenerSettings, pidFile,
                connectTimeout, ops, notices, bridges);
    }

    public AppSettings withDashboard(DashboardSettings newDashboard) {
        return new AppSettings(newDashboard, devices, persistence, ioThreads, perListenerSettings, pidFile,
                connectTimeout, ops, notices, bridges);
    }

    /** The same settings with the CONNECT deadline at {@code seconds}. */
    public AppSettings withConnectTimeout(int seconds) {
        return new AppSettings(dashboard, devices, persistence, ioThreads, perListenerSettings, pidFile, seconds,
                ops, notices, bridges);
    }

    /** The same settings with these rules for /metrics and /health. */
    public AppSettings withOps(OpsSettings newOps) {
        return new AppSettings(dashboard, devices, persistence, ioThreads, perListenerSettings, pidFile,
                connectTimeout, newOps, notices, bridges);
    }

    /** The same settings with these start-up notices. */
    public AppSettings withNotices(java.util.List<String> newNotices) {
        return new AppSettings(dashboard, devices, persistence, ioThreads, perListenerSettings, pidFile,
                connectTimeout, ops, newNotices, bridges);
    }

    /** The same settings with these bridges. */
    public AppSettings withBridges(java.util.List<io.vane.broker.bridge.BridgeSettings> newBridges) {
        return new AppSettings(dashboard, devices, persistence, ioThreads, perListenerSettings, pidFile,
                connectTimeout, ops, notices, newBridges);
    }
}
