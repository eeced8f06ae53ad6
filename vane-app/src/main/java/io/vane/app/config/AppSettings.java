package io.vane.app.config;

import java.util.Objects;

/**
 * The settings of Vane's parts around the broker, each part in its own named record so that adding
 * one touches one record and its options, not every constructor call.
 *
 * @param ioThreads io_threads (Vane's own): network event loops; 0 = one per core
 * @param perListenerSettings per_listener_settings, as written (the per-listener security it selects
 *     is in {@link SecurityConfig})
 */
public record AppSettings(DashboardSettings dashboard, DeviceSettings devices, PersistenceSettings persistence,
        int ioThreads, boolean perListenerSettings) {

    public AppSettings {
        Objects.requireNonNull(dashboard, "dashboard");
        Objects.requireNonNull(devices, "devices");
        Objects.requireNonNull(persistence, "persistence");
    }

    /** Mosquitto's defaults, nothing simulated. */
    public static AppSettings defaults() {
        return new AppSettings(DashboardSettings.DEFAULTS, DeviceSettings.NONE, PersistenceSettings.DEFAULTS, 0, false);
    }

    public AppSettings withDevices(DeviceSettings newDevices) {
        return new AppSettings(dashboard, newDevices, persistence, ioThreads, perListenerSettings);
    }

    public AppSettings withDashboard(DashboardSettings newDashboard) {
        return new AppSettings(newDashboard, devices, persistence, ioThreads, perListenerSettings);
    }
}
