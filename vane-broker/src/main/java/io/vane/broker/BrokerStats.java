package io.vane.broker;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters behind $SYS and /api/status. Updated from every event loop, so each is a LongAdder
 * (cheap to add concurrently, summed on read).
 */
public final class BrokerStats {
    private final LongAdder messagesReceived = new LongAdder();
    private final LongAdder sessionsRefused = new LongAdder();
    private final LongAdder publishersPaused = new LongAdder();
    private final LongAdder subscribersStalled = new LongAdder();
    private final LongAdder messagesSent = new LongAdder();
    private final LongAdder publishReceived = new LongAdder();
    private final LongAdder publishSent = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder messagesDropped = new LongAdder();
    private final LongAdder messagesExpired = new LongAdder();
    private final LongAdder connectionsTotal = new LongAdder();
    private final AtomicInteger clientsConnected = new AtomicInteger();
    private final AtomicInteger clientsMaximum = new AtomicInteger();

    /** Any packet received from a client. */
    public void packetReceived(int bytes) {
        messagesReceived.increment();
        bytesReceived.add(bytes);
    }

    /** Any packet sent to a client. */
    public void packetSent(int bytes) {
        messagesSent.increment();
        bytesSent.add(bytes);
    }

    public void countPublishReceived() {
        publishReceived.increment();
    }

    public void countPublishSent() {
        publishSent.increment();
    }

    public void messageDropped() {
        messagesDropped.increment();
    }

    public void messageExpired() {
        messagesExpired.increment();
    }

    public void connectionOpened() {
        connectionsTotal.increment();
    }

    public void clientConnected() {
        int now = clientsConnected.incrementAndGet();
        clientsMaximum.accumulateAndGet(now, Math::max);
    }

    /** A CONNECT refused because max_offline_sessions was reached. */
    public void sessionRefused() {
        sessionsRefused.increment();
    }

    public long sessionsRefused() { return sessionsRefused.sum(); }

    /** A publisher stopped reading because a subscriber it feeds is congested (docs/decisions/0002). */
    public void publisherPaused() {
        publishersPaused.increment();
    }

    /** A congested subscriber made no progress for slow_subscriber_timeout and was marked stalled. */
    public void subscriberStalled() {
        subscribersStalled.increment();
    }

    public long publishersPaused() { return publishersPaused.sum(); }
    public long subscribersStalled() { return subscribersStalled.sum(); }

    public void clientDisconnected() {
        clientsConnected.decrementAndGet();
    }

    public long messagesReceived() { return messagesReceived.sum(); }
    public long messagesSent() { return messagesSent.sum(); }
    public long publishReceived() { return publishReceived.sum(); }
    public long publishSent() { return publishSent.sum(); }
    public long bytesReceived() { return bytesReceived.sum(); }
    public long bytesSent() { return bytesSent.sum(); }
    public long messagesDropped() { return messagesDropped.sum(); }
    public long messagesExpired() { return messagesExpired.sum(); }
    public long connectionsTotal() { return connectionsTotal.sum(); }
    public int clientsConnected() { return clientsConnected.get(); }
    public int clientsMaximum() { return clientsMaximum.get(); }
}
