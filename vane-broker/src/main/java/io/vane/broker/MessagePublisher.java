package io.vane.broker;

import io.vane.broker.routing.RetainedMessages;
import io.vane.broker.routing.Router;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The one path every application message takes into the broker — from clients, wills, $SYS and
 * in-process publishers: store it if retained, then route it.
 *
 * <p>The result is a completion stage so that an acknowledgement can wait for whatever makes the
 * message safe (the durable store, when it lands: docs/decisions/0001); while everything is kept in
 * memory it is complete when this method returns, and callers acknowledge at once.
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

    /** Publishes; completes once the message is as safe as the broker keeps it. */
    public CompletionStage<PublishOutcome> publish(Message message) {
        if (message.retain() && retainAvailable) {
            retained.retain(message);
        }
        return CompletableFuture.completedFuture(new PublishOutcome(router.route(message)));
    }
}
