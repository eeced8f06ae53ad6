package io.vane.broker.bridge;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A bridge's figures for $SYS, the status page and /metrics: written on the bridge's executor, read
 * from any thread.
 */
public final class BridgeStats {
    /** Where a bridge is. */
    public enum State {
        /** Not connected, waiting before the next attempt (or, for a lazy bridge, for messages). */
        DISCONNECTED,
        /** Opening the connection or waiting for CONNACK. */
        CONNECTING,
        /** CONNACK accepted: messages cross. */
        CONNECTED,
        /** Closed at shutdown, or a {@code start_type once} bridge after its connection ended. */
        STOPPED
    }

    private final AtomicLong messagesIn = new AtomicLong();
    private final AtomicLong messagesOut = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private volatile long lastConnectMillis;
    private volatile long lastMessageMillis;
    private volatile State state = State.DISCONNECTED;
    private volatile String address = "";
    private volatile String lastError = "";

    void in(int payloadBytes, long nowMillis) {
        messagesIn.incrementAndGet();
        bytesIn.addAndGet(payloadBytes);
        lastMessageMillis = nowMillis;
    }

    void out(int payloadBytes, long nowMillis) {
        messagesOut.incrementAndGet();
        bytesOut.addAndGet(payloadBytes);
        lastMessageMillis = nowMillis;
    }

    void connected(String to, long nowMillis) {
        connects.incrementAndGet();
        lastConnectMillis = nowMillis;
        address = to;
        state = State.CONNECTED;
    }

    void failed(String why) {
        failures.incrementAndGet();
        lastError = why;
    }

    void state(State newState) {
        state = newState;
    }

    /** Messages received from the remote broker and published here. */
    public long messagesIn() {
        return messagesIn.get();
    }

    /** Messages sent to the remote broker. */
    public long messagesOut() {
        return messagesOut.get();
    }

    /** Payload bytes received from the remote broker. */
    public long bytesIn() {
        return bytesIn.get();
    }

    /** Payload bytes sent to the remote broker. */
    public long bytesOut() {
        return bytesOut.get();
    }

    /** Wall-clock time of the last accepted CONNACK, 0 before the first. */
    public long lastConnectMillis() {
        return lastConnectMillis;
    }

    /** Wall-clock time of the last message either way, 0 before the first. */
    public long lastMessageMillis() {
        return lastMessageMillis;
    }

    /** Successful connections (CONNACK accepted) since start. */
    public long connects() {
        return connects.get();
    }

    /** Connection attempts that failed or connections that were lost, since start. */
    public long failures() {
        return failures.get();
    }

    public State state() {
        return state;
    }

    /** The address of the current or last connection. */
    public String address() {
        return address;
    }

    /** Why the last connection failed or ended, empty when none did. */
    public String lastError() {
        return lastError;
    }
}
