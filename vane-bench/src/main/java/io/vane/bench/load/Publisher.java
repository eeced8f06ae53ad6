package io.vane.bench.load;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;

/**
 * Sends PUBLISHes on one client's event loop, at a fixed rate or as fast as the bounded backlog
 * allows. The backlog is the number of this publisher's messages that are sent but not yet received
 * by the counted subscribers; keeping it bounded makes the generator measure what the broker
 * delivers, not how much the socket buffers and the broker's queues can hold. Messages that stop
 * arriving (a broker dropping QoS 0) are written off after {@link #STALL_NANOS} so sending goes on;
 * they show up as loss.
 */
final class Publisher {
    static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    static final int BATCH = 64;

    private final Client client;
    private final int index;
    private final byte[] topic;
    private final int qos;
    private final int payloadSize;
    private final double ratePerSecond;
    private final int backlog;
    private final int inflightLimit;
    private final int receivers;
    private final Deliveries deliveries;
    private final int[] seqOfPacketId = new int[65536];
    private final BitSet ackedSeqs = new BitSet();
    private Channel channel;
    private EventLoop loop;
    private long startNanos;
    private volatile boolean stopped;
    // Event-loop state; read by other threads only after stop() and a hand-off through the loop.
    private int sent;
    /** {@link #sent} as other threads may read it, updated once per batch. */
    private volatile int sentVisible;
    private long acked;
    private int inflight;
    private int nextPacketId = 1;
    private double writtenOff;
    private long lastReceived = -1;
    private long lastProgressNanos;
    private long stalls;

    /**
     * @param ratePerSecond messages per second, or 0 for as fast as the backlog allows
     * @param receivers how many counted subscribers match this publisher's topic
     */
    Publisher(Client client, int index, String topic, int qos, int payloadSize, double ratePerSecond,
            int backlog, int inflightLimit, int receivers, Deliveries deliveries) {
        this.client = client;
        this.index = index;
        this.topic = MqttWire.utf8(topic);
        this.qos = qos;
        this.payloadSize = Math.max(payloadSize, MqttWire.STAMP_BYTES);
        this.ratePerSecond = ratePerSecond;
        this.backlog = backlog;
        this.inflightLimit = inflightLimit;
        this.receivers = receivers;
        this.deliveries = deliveries;
        client.attach(this);
    }

    /** Called on the client's loop by the {@link PublisherDriver} before the first {@link #pump}. */
    void start(long now) {
        channel = client.channel();
        loop = channel.eventLoop();
        startNanos = now;
        lastProgressNanos = now;
    }

    void stop() {
        stopped = true;
    }

    boolean stopped() {
        return stopped;
    }

    /** Sends what the rate, the backlog and the in-flight window allow, up to one batch; true if that was a full batch. */
    boolean pump(long now) {
        if (stopped || !channel.isActive()) {
            return false;
        }
        long allowed = BATCH;
        if (ratePerSecond > 0) {
            allowed = Math.min(allowed, (long) ((now - startNanos) * ratePerSecond / 1e9) - sent);
        }
        if (receivers > 0) {
            long received = deliveries.fromPublisher(index);
            if (received != lastReceived) {
                lastReceived = received;
                lastProgressNanos = now;
            }
            double pending = sent - writtenOff - (double) received / receivers;
            if (pending >= backlog && now - lastProgressNanos > STALL_NANOS) {
                writtenOff += pending;
                stalls++;
                lastProgressNanos = now;
                pending = 0;
            }
            allowed = Math.min(allowed, (long) (backlog - pending));
        }
        if (qos > 0) {
            allowed = Math.min(allowed, inflightLimit - inflight);
        }
        int n = 0;
        while (n < allowed && channel.isWritable()) {
            sendOne(now);
            n++;
        }
        if (n > 0) {
            channel.flush();
            sentVisible = sent;
        }
        return n == BATCH && ratePerSecond == 0;
    }

    private void sendOne(long now) {
        int seq = sent++;
        int packetId = 0;
        if (qos > 0) {
            packetId = nextPacketId;
            nextPacketId = nextPacketId == 65535 ? 1 : nextPacketId + 1;
            seqOfPacketId[packetId] = seq;
            inflight++;
        }
        channel.write(MqttWire.publish(channel.alloc(), topic, qos, packetId, payloadSize, index, seq,
                ratePerSecond > 0 ? now : System.nanoTime()), channel.voidPromise());
    }

    /** PUBACK (QoS 1, which also ends the flow) or PUBREC (QoS 2). */
    void acknowledged(int packetId, boolean flowDone) {
        acked++;
        ackedSeqs.set(seqOfPacketId[packetId]);
        if (flowDone) {
            inflight--;
        }
    }

    /** PUBCOMP. */
    void completed(int packetId) {
        inflight--;
    }

    int sent() {
        return sentVisible;
    }

    EventLoop loop() {
        return client.channel().eventLoop();
    }

    Client client() {
        return client;
    }

    long acked() {
        return acked;
    }

    long stalls() {
        return stalls;
    }

    int receivers() {
        return receivers;
    }

    int index() {
        return index;
    }

    BitSet ackedSeqs() {
        return ackedSeqs;
    }
}
