package io.vane.devices.source;

import io.vane.broker.Message;
import io.vane.broker.local.LocalClient;

/**
 * A device that feeds the broker (a weather station, a smart meter, a boiler gateway): it reads its
 * device and publishes through the {@link LocalClient} it is started with, never through the broker's
 * internals. Vane's wiring connects one trusted local client per source, with the source's {@link #will()},
 * calls {@link #start}, and at shutdown calls {@link #close()} and then closes the client.
 */
public interface DeviceSource extends AutoCloseable {

    /** The source's name from its config line (or "weather" for the simulator), for logs and its client id. */
    String name();

    /** The message published if the source's client goes away unexpectedly (availability "offline"), or null. */
    default Message will() {
        return null;
    }

    /** Starts reading the device and publishing; returns at once. Called once. */
    void start(LocalClient client);

    /** What the source is doing now, for logs and status pages ("connected", "reconnecting in 8 s: ..."). */
    default String state() {
        return "running";
    }

    /** Stops reading and publishing; idempotent. */
    @Override
    void close();
}
