package io.vane.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.concurrent.EventExecutor;
import io.vane.broker.Broker;
import io.vane.broker.BrokerStats;
import io.vane.broker.connection.ClientChannel;
import io.vane.broker.connection.ClientConnection;
import io.vane.broker.delivery.Framing;
import io.vane.protocol.MqttVersion;
import io.vane.transport.websocket.WebSocketFrameAdapter;
import io.vane.transport.websocket.WebSocketFraming;
import io.vane.protocol.codec.MqttEncoder;
import io.vane.protocol.packet.MalformedPacket;
import io.vane.protocol.packet.MqttPacket;
import io.vane.protocol.packet.Publish;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of every MQTT pipeline (TCP, WebSockets, and later TLS in front of it): it
 * passes packets to the broker's {@link ClientConnection} and is that connection's
 * {@link ClientChannel}. Writes are flushed once per event-loop turn, not per packet.
 */
final class MqttConnectionHandler extends ChannelInboundHandlerAdapter implements ClientChannel {
    private static final Logger LOG = LoggerFactory.getLogger("vane.transport");
    /** How long a connection may stay above its high-water mark, not draining, before it counts as stalled. */
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The name of the MQTT decoder in every pipeline. */
    static final String DECODER = "decoder";

    private final Broker broker;
    private final BrokerStats stats;
    private final int listenerPort;
    /** The listener's use_identity_as_username / use_subject_as_username. */
    private final io.vane.broker.auth.CertificateName certificateName;
    private final OutboundBudget budget;
    private ChannelHandlerContext ctx;
    /**
     * On WebSockets, the frame adapter's context: writing there skips the adapter, for shared
     * encodings that come already framed. Null on TCP.
     */
    private ChannelHandlerContext framedCtx;
    private ClientConnection connection;
    private MqttVersion version = MqttVersion.V3_1_1;
    private String remoteAddress = "?";
    private boolean flushScheduled;
    /**
     * Whether a QoS 0 delivery found this connection above its high-water mark (even after a flush)
     * since it last drained below the low mark, and since when; a connection that stays there for
     * {@link #STALL_NANOS} is stalled. Event loop only.
     */
    private boolean aboveMark;
    private long aboveMarkSince;
    /** Whether a check of the grace of {@link #aboveMark} is scheduled; at most one is. */
    private boolean graceCheckScheduled;
    /** True while isWritable flushes; see channelWritabilityChanged. */
    private boolean checkingWritability;
    private boolean errorLogged;
    /** The last packet (DISCONNECT, a refusing CONNACK) is out: what the client still sends is discarded. */
    private boolean lingering;
    private final Runnable flusher = this::flushNow;
    /**
     * Keep-alive [MQTT-3.1.2-24]: when the last MQTT packet arrived (System.nanoTime), the limit (1.5 times
     * the keep-alive, 0 = off) and the one timer that checks it. No handler is added to the pipeline for
     * it: the timer is rescheduled for what is left, so a busy connection costs a field write per read.
     */
    private long lastPacketNanos;
    private long keepAliveNanos;
    /** Until CONNECT is accepted, the CONNECT deadline; then the keep-alive check. One timer, never two. */
    private io.netty.util.concurrent.ScheduledFuture<?> keepAliveCheck;
    /** connect_timeout in seconds, armed when the connection opens; 0 when the listener armed it at accept. */
    private final int connectTimeoutSeconds;

    MqttConnectionHandler(Broker broker, int listenerPort, OutboundBudget budget,
            io.vane.broker.auth.CertificateName certificateName, int connectTimeoutSeconds) {
        this.connectTimeoutSeconds = connectTimeoutSeconds;
        this.certificateName = certificateName;
        this.broker = broker;
        this.budget = budget;
        this.stats = broker.stats();
        this.listenerPort = listenerPort;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        framedCtx = ctx.pipeline().context(WebSocketFrameAdapter.class);
        remoteAddress = ClientAddress.of(ctx.channel());
        LOG.info(ClientConnection.CONNECTION, "New connection from {} on port {}.", remoteAddress, listenerPort);
        // No idle check before CONNECT: one deadline from accept, which bytes dribbled in do not push back.
        // On plain MQTT it is this handler's timer (later the keep-alive check); behind WebSockets the
        // listener armed it at accept (ConnectDeadline), before the HTTP upgrade.
        if (connectTimeoutSeconds > 0) {
            keepAliveCheck = ctx.executor().schedule(this::connectExpired, connectTimeoutSeconds, TimeUnit.SECONDS);
        }
        connection = broker.newConnection(this);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (lingering) {
            if (msg instanceof Publish p) {
                p.payload().release();
            } else {
                io.netty.util.ReferenceCountUtil.release(msg);
            }
            return;
        }
        if (msg instanceof MqttPacket packet) {
            lastPacketNanos = System.nanoTime();
            connection.packetReceived(packet);
        } else if (msg instanceof MalformedPacket bad) {
            connection.malformed(bad);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flushNow();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (connectTimeoutSeconds == 0) {
            ConnectDeadline.cancel(ctx.channel()); // the listener's, behind WebSockets
        }
        if (keepAliveCheck != null) {
            keepAliveCheck.cancel(false);
            keepAliveCheck = null;
        }
        if (connection != null) {
            connection.channelClosed();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            aboveMark = false; // drained below the low mark: it is reading
        }
        if (ctx.channel().isWritable() && connection != null) {
            if (checkingWritability) {
                // Fired by the flush in isWritable, in the middle of the session's own send loop: that
                // loop goes on by itself; telling the session now would run it again inside itself.
                // Told afterwards instead, so nothing that waits for writability is forgotten.
                ctx.executor().execute(() -> {
                    if (ctx.channel().isWritable()) {
                        connection.writabilityChanged();
                    }
                });
            } else {
                connection.writabilityChanged();
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Writes use the void promise, so each write still queued when the socket closes fails here:
        // one line per connection is enough, and none for the closed-channel echoes of an earlier close.
        if (!errorLogged && !(cause instanceof ClosedChannelException)) {
            errorLogged = true;
            String id = connection == null ? "<unknown>" : connection.clientIdForLog();
            if (cause instanceof java.io.IOException && connection != null) {
                // Routine (a reset, a broken pipe): the line in Mosquitto's words comes from the connection,
                // the socket's own words only at debug level.
                LOG.debug("Client {} from {}: {}", id, remoteAddress, cause.toString());
                connection.socketFailed(isReset(cause));
            } else {
                LOG.info("Client {} from {}: socket error, closing: {}", id, remoteAddress, cause.toString());
            }
        }
        ctx.close();
    }

    /** The peer reset the connection (ECONNRESET, EPIPE): to Mosquitto, the client closed it. */
    static boolean isReset(Throwable cause) {
        if (cause instanceof io.netty.channel.unix.Errors.NativeIoException n) {
            int err = n.expectedErr();
            return err == io.netty.channel.unix.Errors.ERRNO_ECONNRESET_NEGATIVE
                    || err == io.netty.channel.unix.Errors.ERRNO_EPIPE_NEGATIVE;
        }
        String m = cause.getMessage();
        return m != null && (m.contains("Connection reset") || m.contains("Broken pipe"));
    }

    // ---- ClientChannel ----------------------------------------------------------------------------

    @Override
    public EventExecutor executor() {
        return ctx.executor();
    }

    @Override
    public void write(MqttPacket packet) {
        if (!ctx.channel().isActive()) {
            release(packet);
            return;
        }
        ctx.write(encode(packet), ctx.voidPromise());
        if (!flushScheduled) {
            flushScheduled = true;
            ctx.executor().execute(flusher);
        }
    }

    @Override
    public void writeEncoded(ByteBuf packet) {
        if (!ctx.channel().isActive()) {
            packet.release();
            return;
        }
        if (framedCtx != null) {
            stats.packetSent(packet.readableBytes() - WebSocketFraming.INSTANCE.headerLength(packet));
            framedCtx.write(packet, framedCtx.voidPromise());
        } else {
            stats.packetSent(packet.readableBytes());
            ctx.write(packet, ctx.voidPromise());
        }
        if (!flushScheduled) {
            flushScheduled = true;
            ctx.executor().execute(flusher);
        }
    }

    @Override
    public Framing framing() {
        return framedCtx != null ? WebSocketFraming.INSTANCE : null;
    }

    @Override
    public void writeAndClose(MqttPacket packet) {
        if (!ctx.channel().isActive()) {
            release(packet);
            return;
        }
        lingerThenClose(ctx.writeAndFlush(encode(packet)));
    }

    /** How long a closing connection keeps reading, and discarding, what the client still sends. */
    static final long LINGER_MILLIS = 2_000;

    /**
     * Ends the connection so that the last packet reaches the client: closing a socket with unread bytes
     * makes the kernel send a reset, and a client that is still sending then sees "connection reset"
     * instead of the reason code. So once the packet (and on WebSockets the close frame) is written, the
     * output is shut down (FIN), what still arrives is read and discarded, and the socket is closed when
     * the client closes its side or after {@value #LINGER_MILLIS} ms.
     */
    private void lingerThenClose(io.netty.channel.ChannelFuture written) {
        lingering = true;
        Channel ch = ctx.channel();
        ch.config().setAutoRead(true);
        written.addListener(f -> {
            if (!f.isSuccess() || !(ch instanceof io.netty.channel.socket.DuplexChannel duplex) || !ch.isActive()) {
                ch.close();
                return;
            }
            io.netty.channel.ChannelFuture last = framedCtx == null ? written
                    : ((WebSocketFrameAdapter) framedCtx.handler()).sendClose(framedCtx);
            last.addListener(g -> {
                if (!ch.isActive()) {
                    return;
                }
                duplex.shutdownOutput().addListener(h -> ch.eventLoop().schedule(() -> {
                    ch.close();
                }, LINGER_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS));
            });
        });
    }

    private ByteBuf encode(MqttPacket packet) {
        try {
            ByteBuf buf = MqttEncoder.encode(ctx.alloc(), packet, version);
            stats.packetSent(buf.readableBytes());
            return buf;
        } finally {
            release(packet);
        }
    }

    private static void release(MqttPacket packet) {
        if (packet instanceof Publish p) {
            p.payload().release();
        }
    }

    private void flushNow() {
        flushScheduled = false;
        ctx.flush();
        budget.flushed(ctx.channel());
    }

    @Override
    public void close() {
        ctx.flush();
        ctx.close();
    }

    @Override
    public boolean isWritable() {
        // The session asks before sending QoS 0, drops it when the answer is no, and says so in the log.
        // Decision 0002: the answer is no for a connection that is stalled (above its high-water mark
        // and not draining) or over its share of the broker's budget, never for one that keeps reading.
        Channel ch = ctx.channel();
        if (ch.isWritable() && budget.mayQueue(ch)) {
            return true;
        }
        if (!flushAndCheck()) {
            return false;
        }
        if (ch.isWritable()) {
            return true;
        }
        // Still above the mark: the reader is behind for the moment (descheduled, or a burst larger
        // than the socket's buffers). It is stalled only once it has not drained below the low mark for
        // STALL_NANOS; until then it may hold up to READING_LIMIT_BYTES.
        long now = System.nanoTime();
        markAbove(now);
        ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
        return now - aboveMarkSince < STALL_NANOS && out != null
                && out.totalPendingWriteBytes() < MqttServer.READING_LIMIT_BYTES;
    }

    @Override
    public boolean isBehind() {
        // Asked after a QoS 0 send: a reader behind for the moment makes its publishers wait (they read
        // again when it drains, or when its grace ends and it counts as stalled), so it loses nothing.
        Channel ch = ctx.channel();
        if (ch.isWritable() || !budget.mayQueue(ch) || !flushAndCheck() || ch.isWritable()) {
            return false;
        }
        long now = System.nanoTime();
        markAbove(now);
        return now - aboveMarkSince < STALL_NANOS;
    }

    /**
     * Offers what is queued to the socket: what is above the mark may be only what this loop turn wrote
     * and has not flushed yet (the flush runs once per turn); a burst of deliveries crossed 512 KiB
     * before the socket was offered a byte of it, and a reader that keeps reading lost messages (issue
     * 11). A reader's socket takes it; a stalled one takes nothing (Netty does not even try while it
     * waits for the socket to become writable). Returns whether the connection is within its share of
     * the broker's budget.
     */
    private boolean flushAndCheck() {
        checkingWritability = true;
        try {
            ctx.flush();
        } finally {
            checkingWritability = false;
        }
        budget.flushed(ctx.channel());
        return budget.mayQueue(ctx.channel());
    }

    /** Starts the QoS 0 grace when the connection first stays above its mark; event loop only. */
    private void markAbove(long now) {
        if (!aboveMark) {
            aboveMark = true;
            aboveMarkSince = now;
            if (!graceCheckScheduled) {
                scheduleGraceCheck(STALL_NANOS);
            }
        }
    }

    /**
     * Once the grace of a connection that stayed above its mark is over, tells the broker, so publishers
     * waiting for it read again (it is stalled now, and its QoS 0 is dropped until it drains).
     */
    private void scheduleGraceCheck(long delayNanos) {
        graceCheckScheduled = true;
        ctx.executor().schedule(() -> {
            graceCheckScheduled = false;
            if (!aboveMark || connection == null || !ctx.channel().isActive()) {
                return;
            }
            long left = aboveMarkSince + STALL_NANOS - System.nanoTime();
            if (left > 0) {
                scheduleGraceCheck(left); // it drained and fell behind again since this check was set
            } else {
                connection.graceEnded();
            }
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void setVersion(MqttVersion version) {
        this.version = version;
    }

    @Override
    public void setReading(boolean reading) {
        ctx.channel().config().setAutoRead(reading);
    }

    @Override
    public void setKeepAlive(int seconds) {
        // CONNECT is accepted: its deadline is met. [MQTT-3.1.2-24]: one and a half times the
        // keep-alive from now on; 0 switches the check off. Only MQTT packets count: on WebSockets a
        // client's ping frames must not keep alive a connection that sends no MQTT packets.
        if (connectTimeoutSeconds == 0) {
            ConnectDeadline.cancel(ctx.channel()); // the listener's, behind WebSockets
        }
        if (keepAliveCheck != null) {
            keepAliveCheck.cancel(false);
            keepAliveCheck = null;
        }
        keepAliveNanos = seconds * 1_500_000_000L;
        lastPacketNanos = System.nanoTime();
        if (seconds > 0) {
            scheduleKeepAliveCheck(keepAliveNanos);
        }
    }

    private void scheduleKeepAliveCheck(long delayNanos) {
        keepAliveCheck = ctx.executor().schedule(this::checkKeepAlive, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void connectExpired() {
        keepAliveCheck = null;
        if (ctx.channel().isActive()) {
            ConnectDeadline.expired(ctx.channel(), clientIdForLog(), connectTimeoutSeconds);
        }
    }

    private void checkKeepAlive() {
        keepAliveCheck = null;
        if (!ctx.channel().isActive() || keepAliveNanos == 0) {
            return;
        }
        long left = keepAliveNanos - (System.nanoTime() - lastPacketNanos);
        if (left > 0) {
            scheduleKeepAliveCheck(left);
        } else if (connection != null) {
            connection.keepAliveExpired();
        }
    }

    /** For the CONNECT deadline's log line: the id once CONNECT was read, else "<unknown>". */
    String clientIdForLog() {
        return connection == null ? "<unknown>" : connection.clientIdForLog();
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public int listenerPort() {
        return listenerPort;
    }

    @Override
    public io.vane.broker.auth.CertificateName certificateName() {
        return certificateName;
    }

    /** The verified client certificate's subject from the TLS handler in front, if any. */
    @Override
    public javax.security.auth.x500.X500Principal peerCertificate() {
        io.netty.handler.ssl.SslHandler tls = ctx == null ? null : ctx.pipeline().get(io.netty.handler.ssl.SslHandler.class);
        if (tls == null) {
            return null;
        }
        try {
            java.security.cert.Certificate[] chain = tls.engine().getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof java.security.cert.X509Certificate x
                    ? x.getSubjectX500Principal() : null;
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return null; // the client sent no certificate
        }
    }
}
