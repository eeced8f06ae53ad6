package io.vane.bench.load;

import java.util.BitSet;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the subscribers received, shared by every client thread: counts per publisher (the publishers'
 * flow control reads them), end-to-end latency from the send time in the payload, and for QoS 1/2
 * which sequence numbers arrived, so acknowledged-but-lost messages can be counted.
 */
final class Deliveries {
    private final LongAdder[] fromPublisher;
    private final LongAdder counted = new LongAdder();
    private final LongAdder uncounted = new LongAdder();
    private final BitSet[] seen;
    private final Recorder latency = new Recorder(3);
    private volatile boolean recording;

    Deliveries(int publishers, boolean trackSequences) {
        fromPublisher = new LongAdder[publishers];
        for (int i = 0; i < publishers; i++) {
            fromPublisher[i] = new LongAdder();
        }
        seen = trackSequences ? new BitSet[publishers] : null;
        if (seen != null) {
            for (int i = 0; i < publishers; i++) {
                seen[i] = new BitSet();
            }
        }
    }

    /**
     * One PUBLISH arrived at a subscriber.
     *
     * @param counted false for a subscriber left out of flow control and loss (the slow one)
     */
    void received(int publisher, int seq, long sentNanos, boolean counted) {
        if (!counted) {
            uncounted.increment();
            return;
        }
        if (publisher < 0 || publisher >= fromPublisher.length) {
            return;
        }
        this.counted.increment();
        fromPublisher[publisher].increment();
        if (recording) {
            latency.recordValue(Math.max(0, System.nanoTime() - sentNanos));
        }
        if (seen != null) {
            BitSet s = seen[publisher];
            synchronized (s) {
                s.set(seq);
            }
        }
    }

    long fromPublisher(int publisher) {
        return fromPublisher[publisher].sum();
    }

    long counted() {
        return counted.sum();
    }

    long uncounted() {
        return uncounted.sum();
    }

    /** Starts the measured window: latencies from now on are kept. */
    void startRecording() {
        latency.reset();
        recording = true;
    }

    /** Ends the measured window and returns its latencies in nanoseconds. */
    Histogram stopRecording() {
        recording = false;
        return latency.getIntervalHistogram();
    }

    /** How many of {@code acked} (sequence numbers) never arrived; needs sequence tracking. */
    long missing(int publisher, BitSet acked) {
        BitSet s = seen[publisher];
        BitSet lost = (BitSet) acked.clone();
        synchronized (s) {
            lost.andNot(s);
        }
        return lost.cardinality();
    }
}
