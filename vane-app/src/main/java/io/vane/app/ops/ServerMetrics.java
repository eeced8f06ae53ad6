package io.vane.app.ops;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vane.transport.MqttServer;
import io.vane.transport.ops.EventLoopProbe;
import java.time.Clock;
import java.util.List;

/** The network side's figures: each TLS listener's certificate expiry and each event loop's lag. */
final class ServerMetrics {
    private ServerMetrics() {
    }

    static void register(PrometheusRegistry registry, MqttServer server, EventLoopProbe probe, Clock clock) {
        // Seconds left, not a timestamp: an alert is "vane_tls_certificate_expiry_seconds < 14 * 86400".
        GaugeWithCallback.builder().name("vane_tls_certificate_expiry_seconds")
                .help("Seconds until the certificate a TLS listener serves stops being valid (negative: expired).")
                .labelNames("port").callback(cb -> {
                    for (MqttServer.TlsListener l : server.tlsListeners()) {
                        java.time.Instant notAfter = l.certificate().notAfter();
                        cb.call((notAfter.toEpochMilli() - clock.millis()) / 1000.0, Integer.toString(l.port()));
                    }
                }).register(registry);
        List<String> names = probe.names();
        GaugeWithCallback.builder().name("vane_event_loop_lag_seconds")
                .help("How long a task waits before its event loop runs it; grows while a loop does not answer.")
                .labelNames("loop").callback(cb -> {
                    double[] lag = probe.lagSeconds();
                    for (int i = 0; i < lag.length; i++) {
                        cb.call(lag[i], names.get(i));
                    }
                }).register(registry);
    }
}
