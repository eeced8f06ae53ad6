package io.vane.broker.connection;

import io.netty.buffer.Unpooled;
import io.vane.broker.BrokerContext;
import io.vane.broker.Message;
import io.vane.broker.auth.ClientIdentity;
import io.vane.broker.delivery.EncodingKey;
import io.vane.broker.delivery.Outgoing;
import io.vane.broker.security.ClientText;
import io.vane.broker.session.Session;
import io.vane.broker.session.SessionLink;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.ReasonCode;
import io.vane.protocol.codec.MqttEncoder;
import io.vane.protocol.packet.ConnAck;
import io.vane.protocol.packet.Disconnect;
import io.vane.protocol.packet.MalformedPacket;
import io.vane.protocol.packet.MqttPacket;
import io.vane.protocol.packet.PubRel;
import io.vane.protocol.packet.Publish;
import io.vane.protocol.packet.Will;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker side of one network connection: its protocol state, and the one place where it ends.
 *
 * <p>Threading: owned by the connection's event loop ({@link ClientChannel#executor()}); the transport
 * calls every public method there.
 */
public final class ClientConnection implements SessionLink {
    static final Logger LOG = LoggerFactory.getLogger("vane.broker");
    /**
     * Marks the lines Mosquitto's {@code connection_messages false} silences: new connection, client
     * connected, disconnected, closed, timed out, taken over.
     */
    public static final org.slf4j.Marker CONNECTION = org.slf4j.MarkerFactory.getMarker("CONNECTION");

    enum State { AWAITING_CONNECT, CONNECTING, CONNECTED, CLOSED }

    /** Packets kept while CONNECT completes; more means the client is not waiting for CONNACK. */
    static final int MAX_PENDING = 1000;

    final BrokerContext ctx;
    final ClientChannel channel;
    State state = State.AWAITING_CONNECT;

    // Fixed by CONNECT.
    MqttVersion version;
    String clientId;
    String username;
    /** Who the client is for access control, once authenticated. */
    ClientIdentity identity;
    boolean cleanStart;
    /**
     * A Mosquitto bridge connected with the try_private mark (protocol level 0x83/0x84): its subscriptions
     * get No Local and Retain As Published, so what it publishes is not sent back to it, as in Mosquitto.
     */
    boolean bridge;
    int keepAlive;
    /** Seconds; 0 ends the session with the connection; 0xFFFFFFFF never expires. */
    long sessionExpiry;
    Will will;
    int clientReceiveMaximum = 65535;
    long clientMaximumPacketSize = Long.MAX_VALUE;
    int clientTopicAliasMaximum;
    /** 5.0 Request Problem Information: false forbids reason strings on most packets [MQTT-3.1.2-29]. */
    boolean problemInformation = true;
    Session session;
    /** PUBACK/PUBREC/SUBACK written as their stages complete, in packet order. */
    final OrderedAcks acks;
    /** The registry's number for this connection's claim of its client id. */
    long claimNumber;

    // 5.0 topic aliases: inbound as the client set them, outbound as Vane assigned them.
    final Map<Integer, String> inboundAliases = new HashMap<>();
    final Map<String, Integer> outboundAliases = new HashMap<>();

    /** Fixed once CONNECT is read: the shared bytes this connection takes, or null (topic aliases). */
    private EncodingKey encodingKey;
    /** True when the end of the connection must not publish the will (normal DISCONNECT). */
    boolean willSuppressed;
    /** True once the line saying why the client went has been logged. */
    boolean endLogged;
    /**
     * A login's answer waiting for its turn (FailedLoginLimiter), cancelled when the connection ends so
     * a closed connection is not kept for minutes by its timer.
     */
    java.util.concurrent.Future<?> delayedAnswer;
    /** Packets pipelined behind CONNECT while the session is fetched from another event loop. */
    private ArrayDeque<MqttPacket> pending;

    public ClientConnection(BrokerContext ctx, ClientChannel channel) {
        this.ctx = ctx;
        this.channel = channel;
        this.acks = new OrderedAcks(channel.executor());
        ctx.stats().connectionOpened();
    }

    /** The client id once CONNECT was read, for logs; else "<unknown>". */
    public String clientIdForLog() {
        return clientId != null ? clientId : "<unknown>";
    }

    public MqttVersion version() {
        return version;
    }

    // ---- events from the transport ----------------------------------------------------------------

    public void packetReceived(MqttPacket packet) {
        if (state == State.CLOSED) {
            PacketDispatcher.discard(packet);
            return;
        }
        if (state == State.CONNECTING) {
            if (pending == null) {
                pending = new ArrayDeque<>();
            }
            if (pending.size() >= MAX_PENDING) {
                // A client that floods before its CONNACK is not waiting for it: stop buffering.
                PacketDispatcher.discard(packet);
                LOG.info("Client {} sent more than {} packets before its CONNACK; disconnecting.", clientIdForLog(),
                        MAX_PENDING);
                endLogged = true;
                state = State.CLOSED;
                channel.close();
                pending.forEach(PacketDispatcher::discard);
                pending = null;
                return;
            }
            pending.add(packet);
            return;
        }
        if (waitingFor != null) {
            // Read before reading stopped (one socket read holds thousands of small PUBLISHes): held
            // back in order until the congested subscriber is relieved, instead of overrunning it.
            if (pending == null) {
                pending = new ArrayDeque<>();
            }
            pending.add(packet);
            return;
        }
        PacketDispatcher.dispatch(this, packet);
    }

    /** Handles what arrived while CONNECT was completing or while waiting for a subscriber, in order. */
    void replayPending() {
        while (pending != null && !pending.isEmpty() && state == State.CONNECTED && waitingFor == null) {
            PacketDispatcher.dispatch(this, pending.poll());
        }
        if (pending != null && (pending.isEmpty() || state != State.CONNECTED)) {
            pending.forEach(PacketDispatcher::discard);
            pending = null;
        }
    }

    /** Another connection with the same client id arrived [MQTT-3.1.4-3]; 5.0 gets reason 0x8E. */
    @Override
    public void takenOver() {
        LOG.info(CONNECTION, "Client {} already connected, closing old connection.", clientId);
        endLogged = true;
        disconnect(ReasonCode.SESSION_TAKEN_OVER, "session taken over");
    }

    /** A packet the decoder refused: answer once and close [STYLE 3]. */
    public void malformed(MalformedPacket bad) {
        if (state == State.CLOSED) {
            return;
        }
        if (bad.reasonCode() == ReasonCode.UNSUPPORTED_PROTOCOL_VERSION && state == State.AWAITING_CONNECT) {
            // [MQTT-3.1.2-2]: answer CONNACK 0x01 (3.1.1) / 0x84 (5.0) then close.
            LOG.info("Client <unknown> from {} refused: {}.", channel.remoteAddress(), ClientText.forLog(bad));
            if (version == null) {
                channel.setVersion(MqttVersion.V3_1_1);
            }
            refuseConnect(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION);
            return;
        }
        int reason = bad.reasonCode();
        LOG.info("Client {} disconnected due to malformed packet: {}.", clientIdForLog(), ClientText.forLog(bad));
        endLogged = true;
        disconnect(reason, bad.message());
    }

    /**
     * The socket failed under the connection; it closes next. A reset is the client going away (the
     * close logs "closed its connection", as Mosquitto does); anything else is Mosquitto's socket error.
     */
    public void socketFailed(boolean reset) {
        if (state != State.CONNECTED || endLogged || reset) {
            return;
        }
        endLogged = true;
        LOG.info(CONNECTION, "Socket error on client {}, disconnecting.", clientIdForLog());
    }

    /** The socket closed, by the peer or by us. */
    public void channelClosed() {
        if (state == State.CLOSED) {
            return;
        }
        if (state == State.CONNECTED && pending != null && !pending.isEmpty()) {
            // Packets read before the client's end were received: they are handled, in order, before the
            // end, as Mosquitto handles every byte before the end of the stream (a publisher that was
            // paused for a slow subscriber and then closed lost them). A DISCONNECT among them ends the
            // connection normally, without the will.
            LOG.debug("Client {} closed with {} packets read and not yet handled; handling them.", clientId,
                    pending.size());
            inputEnded = true;
            if (stallCheck != null) {
                stallCheck.cancel(false);
                stallCheck = null;
            }
            waitingFor = null;
            replayPending();
            if (state == State.CLOSED) {
                return;
            }
        }
        boolean wasConnected = state == State.CONNECTED;
        state = State.CLOSED;
        if (delayedAnswer != null) {
            delayedAnswer.cancel(false);
            delayedAnswer = null;
        }
        if (!wasConnected) {
            return;
        }
        if (!endLogged) {
            LOG.info(CONNECTION, "Client {} closed its connection.", clientId);
        }
        if (pending != null) {
            pending.forEach(PacketDispatcher::discard);
            pending = null;
        }
        connectionEnded();
    }

    /** Nothing arrived for 1.5 times the keep-alive [MQTT-3.1.2-24]. */
    public void keepAliveExpired() {
        LOG.info(CONNECTION, "Client {} has exceeded timeout, disconnecting.", clientIdForLog());
        endLogged = true;
        disconnect(ReasonCode.KEEP_ALIVE_TIMEOUT, "keep alive timeout");
    }

    // ---- back-pressure (docs/decisions/0002) ------------------------------------------------------

    /** The session this connection stopped reading for, or null while it reads. */
    private Session waitingFor;
    /** The client has closed: what it sent before is handled without waiting for anyone. */
    private boolean inputEnded;
    private io.netty.util.concurrent.ScheduledFuture<?> stallCheck;
    /** The session whose relief request ({@link #awaitRelief}) is registered and has not run yet. Owner thread. */
    private Session reliefAskedOf;

    /**
     * This client published to {@code full}, an online session whose queue is past its high-water mark:
     * stop reading from it until that session is relieved, or until it has made no progress for
     * slow_subscriber_timeout (then it is marked stalled, and its full queue drops as before).
     */
    void waitFor(Session full) {
        int timeout = ctx.settings().slowSubscriberTimeout();
        if (timeout <= 0 || waitingFor != null || full == session || full.isStalled() || state != State.CONNECTED
                || inputEnded) {
            return; // its own session: waiting would stop the acknowledgements that drain it
        }
        waitingFor = full;
        channel.setReading(false);
        ctx.stats().publisherPaused();
        awaitRelief(full);
        scheduleStallCheck(full, timeout);
    }

    /**
     * Asks {@code full} to wake this connection when it is relieved; at most one such request is
     * outstanding per connection. Each relief runs every request it holds, so a request left over from an
     * earlier pause would otherwise resume this client while the session is congested again, and a burst
     * of such resumes let a publisher overrun the queue it was paused for (PublisherPacingTest lost 46 of
     * 20,000 acknowledged messages that way under load).
     */
    private void awaitRelief(Session full) {
        if (reliefAskedOf == full) {
            return;
        }
        reliefAskedOf = full;
        full.onRelief(() -> channel.executor().execute(() -> {
            if (reliefAskedOf == full) {
                reliefAskedOf = null;
            }
            relieved(full);
        }));
    }

    /** The session said it was relieved; another publisher's message may have congested it again since. */
    private void relieved(Session full) {
        if (waitingFor != full) {
            return;
        }
        if (full.isCongested() && !full.isStalled() && full.isOnline()) {
            awaitRelief(full); // checks again after registering, so a relief in between is not missed
            return;
        }
        resumeReading(full);
    }

    /**
     * Checks once the timeout (or the client's own keep-alive, if shorter: a paused connection reads no
     * PINGREQ) has passed: a session that took nothing meanwhile is stalled; either way this client reads
     * again, and its next publish to a still congested session pauses it again.
     */
    private void scheduleStallCheck(Session full, int timeoutSeconds) {
        int wait = keepAlive > 0 ? Math.min(timeoutSeconds, keepAlive) : timeoutSeconds;
        stallCheck = channel.executor().schedule(() -> {
            if (waitingFor != full) {
                return;
            }
            long idle = System.nanoTime() - full.lastProgressNanos();
            if (idle >= java.util.concurrent.TimeUnit.SECONDS.toNanos(timeoutSeconds)) {
                LOG.info("Client {} has taken no message for {} s: publishers no longer wait for it, and"
                        + " messages beyond its queue limit are dropped.", full.clientId(), timeoutSeconds);
                ctx.stats().subscriberStalled();
                full.markStalled();
            }
            resumeReading(full);
        }, wait, java.util.concurrent.TimeUnit.SECONDS);
    }

    private void resumeReading(Session full) {
        if (waitingFor != full) {
            return;
        }
        waitingFor = null;
        if (stallCheck != null) {
            stallCheck.cancel(false);
            stallCheck = null;
        }
        replayPending();
        if (state != State.CLOSED && waitingFor == null) {
            channel.setReading(true);
        }
    }

    /** The outbound buffer fell below its low-water mark: send what waited. */
    public void writabilityChanged() {
        if (state == State.CONNECTED && session != null && channel.isWritable()) {
            session.drain();
        }
    }

    /**
     * The reader stayed above its high-water mark for its whole QoS 0 grace: it is stalled, so publishers
     * that wait for it read again and its QoS 0 is dropped until it drains (decision 0002).
     */
    public void graceEnded() {
        if (state == State.CONNECTED && session != null) {
            session.drain();
        }
    }

    // ---- the one disconnector ---------------------------------------------------------------------

    /**
     * Ends the connection because of the server: a 5.0 client gets DISCONNECT with the reason (or a
     * CONNACK with it before CONNECT completed [MQTT-4.13.1-1]); older clients are just closed.
     */
    @Override
    public void disconnect(int reasonCode, String reasonString) {
        if (state == State.CLOSED) {
            return;
        }
        if (version == MqttVersion.V5 && state == State.CONNECTED) {
            Properties props = reasonString == null || reasonString.isEmpty() ? Properties.NONE
                    : Properties.builder().reasonString(reasonString).build();
            writeAndClose(new Disconnect(reasonCode, props));
        } else if (version == MqttVersion.V5 && state == State.AWAITING_CONNECT
                && ReasonCode.isError(reasonCode)) {
            writeAndClose(new ConnAck(false, reasonCode, Properties.NONE));
        } else {
            channel.close();
        }
        channelClosed();
    }

    /** Answers CONNECT with a refusal and closes (before the session is touched). */
    void refuseConnect(int reasonCode) {
        refuseConnect(reasonCode, null);
    }

    /**
     * Answers CONNECT with a refusal and closes; a 5.0 client that did not turn problem information off
     * also reads {@code why} as the Reason String, unless it would not fit its Maximum Packet Size.
     */
    void refuseConnect(int reasonCode, String why) {
        int code = version == MqttVersion.V5 ? reasonCode : ReasonCode.toV3ConnAck(reasonCode);
        LOG.debug("Sending CONNACK to {} ({}, {})", clientIdForLog(), 0, code);
        Properties props = why == null ? Properties.NONE : reason(why);
        writeAndClose(new ConnAck(false, reasonCode, props));
        state = State.CLOSED;
    }

    /** A last packet (CONNACK refusal, DISCONNECT) cut to the client's limit, then the lingering close. */
    private void writeAndClose(MqttPacket last) {
        MqttPacket fitted = version == MqttVersion.V5 ? PacketLimit.fit(last, clientMaximumPacketSize) : last;
        if (fitted == null) {
            LOG.debug("Client {}: even without its optional properties the {} is larger than the client's"
                    + " Maximum Packet Size ({}); closing without it.", clientIdForLog(), last.type(),
                    clientMaximumPacketSize);
            channel.close();
            return;
        }
        channel.writeAndClose(fitted);
    }

    /**
     * The CONNACK that accepts the client, cut to its Maximum Packet Size [MQTT-3.1.2-24]; null when even
     * its required properties do not fit (the connection is then closed without it, as Mosquitto does).
     */
    MqttPacket fittedConnAck(ConnAck ack) {
        return version == MqttVersion.V5 ? PacketLimit.fit(ack, clientMaximumPacketSize) : ack;
    }

    /** After the socket is gone: will, session expiry, stats. */
    private void connectionEnded() {
        ctx.stats().clientDisconnected();
        Session s = session;
        if (s == null) {
            return;
        }
        s.detach(this);
        Will w = willSuppressed ? null : will;
        will = null;
        SessionLifecycle.connectionEnded(this, s, w);
    }

    /** Properties carrying a reason string on a 5.0 acknowledgement, when the client wants them. */
    Properties reason(String text) {
        return version == MqttVersion.V5 && problemInformation ? Properties.builder().reasonString(text).build()
                : Properties.NONE;
    }

    // ---- SessionLink: sending to the client -------------------------------------------------------

    @Override
    public boolean sendPublish(Outgoing out, int packetId, boolean dup) {
        if (state != State.CONNECTED) {
            out.withoutEncoded();
            return true;
        }
        Message m = out.message();
        if (out.encoded() != null && !out.encodedMatches(encodingKey())) {
            // Made for the link this session had when the message was routed (a takeover since).
            out = out.withoutEncoded();
        }
        if (out.encoded() != null) {
            // [MQTT-3.1.2-25] counts MQTT bytes, not the transport's frame header.
            if (encodingKey.mqttLength(out.encoded()) > clientMaximumPacketSize) {
                out.withoutEncoded();
                ctx.stats().messageDropped(); // [MQTT-3.1.2-25]
                return false;
            }
            logSending(out, packetId, dup);
            ctx.stats().countPublishSent();
            channel.writeEncoded(out.encoded());
            return true;
        }
        Properties props = Properties.NONE;
        String topic = m.topic();
        if (version == MqttVersion.V5) {
            props = outgoingProperties(out, m);
            if (bridge) {
                // To a bridge: this broker joins the message's path, so it is known if it comes back round.
                props = ctx.paths().stamp(m, props).build();
            }
            Integer alias = outboundAliases.get(topic);
            if (alias != null) {
                topic = "";
                props = props.toBuilder().topicAlias(alias).build();
            } else if (outboundAliases.size() < clientTopicAliasMaximum) {
                int newAlias = outboundAliases.size() + 1;
                outboundAliases.put(topic, newAlias);
                props = props.toBuilder().topicAlias(newAlias).build();
            }
        }
        Publish publish = new Publish(topic, out.qos(), out.retain(), dup, packetId, props,
                Unpooled.wrappedBuffer(m.payload()));
        if (clientMaximumPacketSize != Long.MAX_VALUE
                && MqttEncoder.encodedSize(publish, version) > clientMaximumPacketSize) {
            // [MQTT-3.1.2-25]: discard as if delivered.
            ctx.stats().messageDropped();
            return false;
        }
        logSending(out, packetId, dup);
        ctx.stats().countPublishSent();
        channel.write(publish);
        return true;
    }

    private void logSending(Outgoing out, int packetId, boolean dup) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("Sending PUBLISH to {} (d{}, q{}, r{}, m{}, '{}', ... ({} bytes))", clientId, dup ? 1 : 0,
                    out.qos(), out.retain() ? 1 : 0, packetId, ClientText.forLog(out.message().topic()),
                    out.message().payload().length);
        }
    }

    private Properties outgoingProperties(Outgoing out, Message m) {
        boolean hasIds = out.subscriptionIds().length > 0;
        boolean expires = m.expiresAtMillis() != Message.NEVER;
        if (!hasIds && !expires) {
            return m.properties();
        }
        Properties.Builder b = m.properties().toBuilder();
        for (int id : out.subscriptionIds()) {
            b.addSubscriptionIdentifier(id);
        }
        if (expires) {
            b.messageExpiryInterval(m.remainingSeconds(ctx.clock().getAsLong()));
        }
        return b.build();
    }

    @Override
    public void sendPubRel(int packetId) {
        if (state == State.CONNECTED) {
            channel.write(new PubRel(packetId));
        }
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public boolean isBehind() {
        return channel.isBehind();
    }

    @Override
    public EncodingKey encodingKey() {
        if (encodingKey == null && clientTopicAliasMaximum == 0 && !(bridge && version == MqttVersion.V5)) {
            encodingKey = EncodingKey.of(version, channel.framing());
        }
        return encodingKey;
    }

    @Override
    public int sendWindow() {
        int max = ctx.settings().maxInflightMessages();
        int limit = max == 0 ? 65535 : max;
        return Math.min(limit, clientReceiveMaximum);
    }
}
