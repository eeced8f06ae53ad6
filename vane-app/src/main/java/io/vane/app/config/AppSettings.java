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
 */
public record AppSettings(DashboardSettings dashboard, DeviceSettings devices, PersistenceSettings persistence,
        int ioThreads, boolean perListenerSettings, java.nio.file.Path pidFile) {

    public AppSettings {
        Objects.requireNonNull(dashboard, "dashboard");
        Objects.requireNonNull(devices, "devices");
        Objects.requireNonNull(persistence, "persistence");
    }

    /** Mosquitto's defaults, nothing simulated. */
    public static AppSettings defaults() {
        return new AppSettings(DashboardSettings.DEFAULTS, DeviceSettings.NONE, PersistenceSettings.DEFAULTS, 0, false, null);
    }

    public AppSettings withDevices(DeviceSettings newDevices) {
        return new AppSettings(dashboard, newDevices, persistence, ioThreads, perListenerSettings, pidFile);
    }

    public AppSettings withDashboard(DashboardSettings newDashboard) {
        return new AppSettings(newDashboard, devices, persistence, ioThreads, perListenerSettings, pidFile);
    }
}
