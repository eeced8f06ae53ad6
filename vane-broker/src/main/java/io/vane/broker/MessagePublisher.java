package io.vane.broker;

import io.vane.broker.persistence.Persistence;
import io.vane.broker.persistence.PublishTicket;
import io.vane.broker.routing.RetainedMessages;
import io.vane.broker.routing.Router;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The one path every application message takes into the broker — from clients, wills, $SYS and
 * in-process publishers: store it if retained, then route it.
 *
 * <p>The result is a completion stage so that an acknowledgement can wait for whatever makes the
 * message safe (docs/decisions/0001, 0007): with a durable store, a QoS 1/2 message is safe once its
 * retained record and its copy in every persistent session it reached are on disk; QoS 0 messages and
 * an in-memory broker never wait, and the stage is complete when this method returns.
 */
public final class MessagePublisher {
    private final RetainedMessages retained;
    private final Router router;
    private final boolean retainAvailable;
    private final Persistence persistence;

    public MessagePublisher(RetainedMessages retained, Router router, boolean retainAvailable) {
        this(retained, router, retainAvailable, Persistence.IN_MEMORY);
    }

    public MessagePublisher(RetainedMessages retained, Router router, boolean retainAvailable,
            Persistence persistence) {
        this.retained = retained;
        this.router = router;
        this.retainAvailable = retainAvailable;
        this.persistence = persistence;
    }

    /** Publishes; completes once the message is as safe as the broker keeps it. */
    public CompletionStage<PublishOutcome> publish(Message message) {
        if (message.retain() && retainAvailable) {
            retained.retain(message);
        }
        if (message.qos() == 0 || !persistence.isDurable()) {
            return CompletableFuture.completedFuture(new PublishOutcome(router.route(message)));
        }
        PublishTicket ticket = new PublishTicket(persistence);
        if (message.retain() && retainAvailable) {
            ticket.written();
        }
        int delivered = router.route(message, ticket);
        ticket.arrive();
        return ticket.safe().handle((v, failure) -> failure == null ? new PublishOutcome(delivered)
                : PublishOutcome.notStored(delivered, failure));
    }
}
