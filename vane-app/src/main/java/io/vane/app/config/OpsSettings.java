package io.vane.app.config;

import io.vane.transport.ops.AddressRule;
import java.util.Objects;

/**
 * Who may read the operator's pages on a websockets listener, beyond loopback clients.
 *
 * @param metricsAllow http_metrics_allow (Vane's own): networks that may read /metrics
 * @param healthAllow http_health_allow (Vane's own): networks that may read /health/live and /health/ready
 */
public record OpsSettings(AddressRule metricsAllow, AddressRule healthAllow) {
    /** Loopback only, for both. */
    public static final OpsSettings LOOPBACK = new OpsSettings(AddressRule.LOOPBACK, AddressRule.LOOPBACK);

    public OpsSettings {
        Objects.requireNonNull(metricsAllow, "metricsAllow");
        Objects.requireNonNull(healthAllow, "healthAllow");
    }
}
