package io.vane.app.ops;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vane.broker.Broker;
import io.vane.app.config.OpsSettings;
import io.vane.broker.persistence.Persistence;
import io.vane.store.SqliteStore;
import io.vane.transport.EventLoops;
import io.vane.transport.MqttServer;
import io.vane.transport.http.OpsEndpoints;
import io.vane.transport.ops.EventLoopProbe;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What an operator watches: the event-loop probe, the metrics registry, the health checks, and the
 * pages that serve them. Made by {@code Vane.start} before the listeners bind (they serve the pages),
 * told when the start is complete and when the stop begins.
 *
 * <p>Other parts add their own figures through {@link #registry()}: a bridge registers a
 * {@link io.prometheus.metrics.model.registry.MultiCollector} there and /metrics shows it.
 */
public final class Operations implements AutoCloseable {
    /** How often every event loop is asked to answer (lag and liveness). */
    static final long PROBE_MILLIS = 1_000;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final EventLoopProbe probe;
    private final Health health;
    private final OpsEndpoints endpoints;

    /**
     * @param recoveryMillis how long the store took to read back, or -1 without a durable store
     * @param ops who may read the pages
     */
    public Operations(Broker broker, MqttServer server, EventLoops loops, Persistence store, long recoveryMillis,
            OpsSettings ops, String version) {
        probe = new EventLoopProbe(PROBE_MILLIS, TimeUnit.MILLISECONDS, List.of(loops.boss(), loops.workers()),
                List.of("accept", "io"));
        health = new Health(probe, server, store);
        BrokerMetrics.register(registry, broker, version, System::currentTimeMillis);
        ServerMetrics.register(registry, server, probe, java.time.Clock.systemUTC());
        if (store instanceof SqliteStore sqlite) {
            StoreMetrics.register(registry, sqlite, broker, recoveryMillis);
        }
        endpoints = new OpsEndpoints(new VaneOpsPages(registry, health), ops.metricsAllow(), ops.healthAllow());
    }

    /** Where /metrics reads from; register further collectors here. */
    public PrometheusRegistry registry() {
        return registry;
    }

    public Health health() {
        return health;
    }

    /** For {@link MqttServer#setOps}. */
    public OpsEndpoints endpoints() {
        return endpoints;
    }

    /** The start is complete: listeners bound, store recovered. */
    public void markStarted() {
        health.markStarted();
    }

    /** The stop began. */
    public void markStopping() {
        health.markStopping();
    }

    @Override
    public void close() {
        probe.close();
    }
}
