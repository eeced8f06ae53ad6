package io.vane.broker.session;

import io.vane.broker.delivery.EncodingKey;
import io.vane.broker.delivery.Outgoing;

/**
 * An outbound QoS 1/2 message that has been sent and not yet completed.
 *
 * @param released true once PUBREC arrived and PUBREL was sent (QoS 2 second half)
 */
record Inflight(Outgoing outgoing, int packetId, boolean released) {

    Inflight asReleased() {
        return new Inflight(outgoing, packetId, true);
    }
}
