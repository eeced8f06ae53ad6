package io.vane.broker.connection;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import io.vane.broker.delivery.Framing;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.packet.MqttPacket;

/**
 * The broker's view of one network connection, implemented by the transport. Every method must be
 * called on {@link #executor()}, the connection's event loop, which owns the connection's state.
 */
public interface ClientChannel {

    /** The event loop that owns this connection. */
    EventExecutor executor();

    /** Queues a packet for writing; the transport flushes once per event-loop turn, not per packet. */
    void write(MqttPacket packet);

    /**
     * Queues bytes that already are one encoded packet (a fan-out's shared encoding), already framed
     * by {@link #framing()} when there is one; takes ownership.
     */
    void writeEncoded(ByteBuf packet);

    /** How the transport frames each packet (WebSockets), or null when bytes go out as they are. */
    default Framing framing() {
        return null;
    }

    /** Writes the packet, flushes, then closes the connection. */
    void writeAndClose(MqttPacket packet);

    /** Closes the connection without sending anything more. */
    void close();

    /** False while the outbound buffer is above its high-water mark (a slow reader). */
    boolean isWritable();

    /**
     * True while the outbound buffer is above its high-water mark but the reader is within its QoS 0
     * grace (not stalled, within its share of the broker's budget): its publishers should wait.
     */
    default boolean isBehind() {
        return false;
    }

    /**
     * Stops or resumes reading from the client (back-pressure on a publisher whose subscribers cannot
     * keep up). Packets already read may still arrive after a stop.
     */
    default void setReading(boolean reading) {
    }

    /** Fixes the protocol version for encoding, after CONNECT. */
    void setVersion(MqttVersion version);

    /** Closes the connection when nothing arrives for 1.5 times this many seconds; 0 disables. */
    void setKeepAlive(int seconds);

    /** host:port of the peer as shown in logs. */
    String remoteAddress();

    /** The port of the listener that accepted this connection. */
    int listenerPort();

    /**
     * The subject of the client certificate the TLS handshake verified, or null (no TLS, or the client sent
     * none). A plain JDK principal, so the broker needs no TLS classes.
     */
    default javax.security.auth.x500.X500Principal peerCertificate() {
        return null;
    }

    /** Whether this connection's listener takes the user name from that certificate. */
    default io.vane.broker.auth.CertificateName certificateName() {
        return io.vane.broker.auth.CertificateName.NONE;
    }
}
