package io.vane.broker.local;

import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.vane.broker.BrokerContext;
import io.vane.broker.Message;
import io.vane.broker.auth.ClientIdentity;
import io.vane.broker.routing.TopicMatcher;
import io.vane.broker.session.Session;
import io.vane.broker.session.SessionLink;
import io.vane.broker.session.SessionRegistry;
import io.vane.broker.session.SubscriptionRecord;
import io.vane.broker.delivery.EncodingKey;
import io.vane.broker.delivery.Outgoing;
import io.vane.protocol.ReasonCode;
import io.vane.protocol.Topics;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MQTT client inside the process: a real session of the broker (QoS, bounded queueing, per-session
 * order, ACL identity, a will) whose messages are handed to its handlers on its own executor, never
 * inside the publisher's routing. Device sources, the dashboard's history and later bridges use it.
 *
 * <p>Threading: the client owns one {@link EventExecutor} ({@link #executor()}), which is also its
 * session's owner; every handler runs there, one message at a time, in the order the session sends
 * them. The public methods may be called from any thread.
 */
public final class LocalClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("vane.broker");
    /** QoS 0 messages waiting for handlers beyond which more are dropped and counted (a stuck handler). */
    static final int MAX_PENDING_QOS0 = 10_000;
    /** QoS 1/2 messages handed to handlers but not yet handled: the session queues the rest. */
    static final int SEND_WINDOW = 100;

    private final BrokerContext ctx;
    private final LocalClientOptions options;
    private final EventExecutor executor;
    private final boolean ownsExecutor;
    private final ClientIdentity identity;
    private final Link link = new Link();
    /** Filter -> handler, in subscription order; touched on the executor only. */
    private final Map<String, Consumer<Message>> handlers = new LinkedHashMap<>();
    private Session session;
    private long claimNumber;
    private int pendingQos0;
    private boolean closed;

    private LocalClient(BrokerContext ctx, LocalClientOptions options, EventExecutor executor, boolean owns) {
        this.ctx = ctx;
        this.options = options;
        this.executor = executor;
        this.ownsExecutor = owns;
        this.identity = options.trusted() ? ClientIdentity.internal(options.clientId())
                : ClientIdentity.remote(options.clientId(), options.username(), 0, "127.0.0.1"); // in this process
    }

    /**
     * Connects a local client: claims its client id (taking the session over from whoever had it) and
     * completes once the session is attached. Used by {@code Broker.connectLocal}.
     */
    public static CompletionStage<LocalClient> connect(BrokerContext ctx, LocalClientOptions options) {
        String id = options.clientId();
        EventExecutor executor = options.executor() != null ? options.executor()
                : new DefaultEventExecutor(new DefaultThreadFactory("vane-local-" + id, true));
        LocalClient client = new LocalClient(ctx, options, executor, options.executor() == null);
        CompletableFuture<LocalClient> done = new CompletableFuture<>();
        executor.execute(() -> {
            SessionRegistry.Claim claim = ctx.sessions().claim(id, executor);
            Session s = claim.session();
            Runnable attach = () -> {
                if (!claim.isLatest()) {
                    done.completeExceptionally(new IllegalStateException(
                            "client id " + id + " was claimed by another connection meanwhile"));
                    return;
                }
                client.session = s;
                client.claimNumber = claim.number();
                s.setIdentity(client.identity);
                s.keepFor(0); // ends with the client: nothing of it is stored
                s.attach(client.link);
                done.complete(client);
            };
            // Like a CONNECT with Clean Start: take the session over and start it empty.
            SessionRegistry.takeOver(claim, executor, taken -> {
                Message pendingWill = taken.takePendingWill();
                if (pendingWill != null) {
                    ctx.publisher().publish(pendingWill);
                }
                ctx.sessions().clear(taken);
            }, attach);
        });
        return done;
    }

    public String clientId() {
        return options.clientId();
    }

    /** The client's own thread: handlers run here, and a source may schedule its timers here. */
    public EventExecutor executor() {
        return executor;
    }

    /** Publishes a message from this client; completes with its reason code (0, 0x10 or a refusal). */
    public CompletionStage<Integer> publish(String topic, byte[] payload, int qos, boolean retain) {
        return publish(new Message(topic, payload, qos, retain, io.vane.protocol.Properties.NONE, Message.NEVER,
                options.clientId()));
    }

    /**
     * Publishes a message (5.0 properties such as Response Topic pass through); its publisher id is set
     * to this client's id for No Local. Completes with 0x00, 0x10 (no matching subscribers), 0x87 (not
     * authorized) or 0x90 (invalid topic) once the broker has taken it.
     */
    public CompletionStage<Integer> publish(Message message) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        executor.execute(() -> {
            if (closed) {
                done.complete(ReasonCode.UNSPECIFIED_ERROR);
                return;
            }
            String invalid = Topics.validateTopicName(message.topic());
            if (invalid != null) {
                done.complete(ReasonCode.TOPIC_NAME_INVALID);
                return;
            }
            if (!ctx.authorizer().canPublish(identity, message.topic())) {
                LOG.info("Denied PUBLISH from {} (d0, q{}, r{}, m0, '{}', ... ({} bytes))", options.clientId(),
                        message.qos(), message.retain() ? 1 : 0, message.topic(), message.payload().length);
                done.complete(ReasonCode.NOT_AUTHORIZED);
                return;
            }
            Message m = options.clientId().equals(message.publisherId()) ? message
                    : new Message(message.topic(), message.payload(), message.qos(), message.retain(),
                            message.properties(), message.expiresAtMillis(), options.clientId());
            ctx.publisher().publish(m).whenComplete((outcome, error) -> done.complete(
                    error != null ? ReasonCode.UNSPECIFIED_ERROR
                            : outcome.delivered() == 0 ? ReasonCode.NO_MATCHING_SUBSCRIBERS : ReasonCode.SUCCESS));
        });
        return done;
    }

    /**
     * Subscribes; the handler gets every message matching the filter, on {@link #executor()}. Retained
     * messages come first. Completes with the granted QoS or a failure reason code (0x87, 0x8F).
     */
    public CompletionStage<Integer> subscribe(String filter, int qos, Consumer<Message> handler) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        executor.execute(() -> {
            if (closed) {
                done.complete(ReasonCode.UNSPECIFIED_ERROR);
                return;
            }
            if (Topics.isShared(filter) || Topics.validateTopicFilter(filter) != null) {
                done.complete(ReasonCode.TOPIC_FILTER_INVALID);
                return;
            }
            if (!ctx.authorizer().canSubscribe(identity, filter)) {
                done.complete(ReasonCode.NOT_AUTHORIZED);
                return;
            }
            int granted = Math.min(qos, ctx.settings().maxQos());
            handlers.put(filter, handler);
            SubscriptionRecord record = new SubscriptionRecord(filter, filter, null, granted, false, false, 0, 0);
            boolean isNew = ctx.subscriptions().add(session, record) == null;
            if (isNew) {
                java.util.List<Outgoing> retained = new java.util.ArrayList<>();
                ctx.retained().match(filter, (topic, m) -> {
                    if (ctx.authorizer().canRead(identity, topic)) {
                        retained.add(new Outgoing(m, Math.min(granted, m.qos()), true, new int[0]));
                    }
                });
                session.deliverRetained(retained);
            }
            done.complete(granted);
        });
        return done;
    }

    public CompletionStage<Void> unsubscribe(String filter) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        executor.execute(() -> {
            handlers.remove(filter);
            if (session != null && !closed) {
                ctx.subscriptions().remove(session, filter);
            }
            done.complete(null);
        });
        return done;
    }

    /** Disconnects normally: the will is not published, the session ends. Waits up to 2 s. */
    @Override
    public void close() {
        end(false);
    }

    /** Ends as a broken connection does: the will (if any) is published. Waits up to 2 s. */
    public void abort() {
        end(true);
    }

    private void end(boolean publishWill) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        executor.execute(() -> {
            if (!closed) {
                closed = true;
                if (session != null) {
                    session.detach(link);
                    ctx.sessions().end(session, claimNumber);
                }
                Message will = options.will();
                if (publishWill && will != null) {
                    ctx.publisher().publish(will);
                }
            }
            done.complete(null);
        });
        try {
            done.get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Local client {} did not close in time: {}", options.clientId(), e.toString());
        }
        if (ownsExecutor) {
            executor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private void handle(Message m) {
        for (Map.Entry<String, Consumer<Message>> e : handlers.entrySet()) {
            if (TopicMatcher.matches(e.getKey(), m.topic())) {
                try {
                    e.getValue().accept(m);
                } catch (RuntimeException ex) {
                    LOG.warn("Local client {}: handler for '{}' failed on '{}': {}", options.clientId(), e.getKey(),
                            m.topic(), ex.toString());
                }
            }
        }
    }

    /** The session's view of this client. Called on the executor, which owns the session. */
    private final class Link implements SessionLink {
        @Override
        public boolean sendPublish(Outgoing out, int packetId, boolean dup) {
            out.releaseEncoded();
            Message m = out.message().withRetain(out.retain());
            if (out.qos() == 0) {
                pendingQos0++;
            }
            // Never inline: the session may be delivering from inside a routing call.
            executor.execute(() -> {
                if (out.qos() == 0) {
                    pendingQos0--;
                }
                if (closed) {
                    return;
                }
                handle(m);
                if (out.qos() == 1) {
                    session.acknowledge(packetId);
                } else if (out.qos() == 2) {
                    session.received(packetId);
                    session.completed(packetId);
                }
            });
            return true;
        }

        @Override
        public void sendPubRel(int packetId) {
            executor.execute(() -> {
                if (!closed) {
                    session.completed(packetId);
                }
            });
        }

        @Override
        public boolean isWritable() {
            return pendingQos0 < MAX_PENDING_QOS0;
        }

        @Override
        public int sendWindow() {
            return SEND_WINDOW;
        }

        @Override
        public EncodingKey encodingKey() {
            return null;
        }

        @Override
        public void takenOver() {
            LOG.info("Local client {} was taken over by another connection with its client id.", options.clientId());
            closed = true;
        }

        @Override
        public void disconnect(int reasonCode, String reason) {
            closed = true;
        }
    }
}
