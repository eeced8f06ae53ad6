package io.vane.app.ops;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.DoubleSupplier;

/**
 * Registers figures that are read when scraped (callbacks), so nothing is counted twice: the broker's
 * own counters stay the one source, for $SYS, /api/status and /metrics alike.
 */
final class MetricsTable {
    private final PrometheusRegistry registry;

    MetricsTable(PrometheusRegistry registry) {
        this.registry = registry;
    }

    /** A counter; {@code name} without {@code _total}, which the text format adds. */
    MetricsTable counter(String name, String help, DoubleSupplier value) {
        CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble()))
                .register(registry);
        return this;
    }

    MetricsTable gauge(String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble()))
                .register(registry);
        return this;
    }
}
