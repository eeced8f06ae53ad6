package io.vane.broker;

import io.vane.broker.routing.RetainedMessages;
import io.vane.broker.routing.Router;

/**
 * The one path every application message takes into the broker — from clients, wills, $SYS and
 * in-process publishers: store it if retained, then route it.
 */
public final class MessagePublisher {
    private final RetainedMessages retained;
    private final Router router;
    private final boolean retainAvailable;

    public MessagePublisher(RetainedMessages retained, Router router, boolean retainAvailable) {
        this.retained = retained;
        this.router = router;
        this.retainAvailable = retainAvailable;
    }

    /** Publishes; returns how many subscribers it went to. */
    public int publish(Message message) {
        if (message.retain() && retainAvailable) {
            retained.retain(message);
        }
        return router.route(message);
    }
}
