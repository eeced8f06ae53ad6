package io.vane.devices.p1;

import java.util.function.Consumer;

/**
 * Bytes from a P1 line in, readings out: frames the stream, checks each frame, interprets it, and
 * hands on only telegrams that passed every check. Everything else is counted in {@link BadTelegrams}
 * and never reaches the consumer. Owned by the thread that reads the line.
 */
public final class P1Decoder {
    private final TelegramFramer framer;
    private final BadTelegrams bad;
    private final Consumer<MeterReading> readings;
    private final Consumer<Rejection> rejections;
    private long accepted;
    private boolean lastWasBad;

    public P1Decoder(BadTelegrams bad, Consumer<MeterReading> readings) {
        this(bad, readings, r -> { });
    }

    /** With {@code rejections} told of each rejected telegram (not of garbage between telegrams). */
    public P1Decoder(BadTelegrams bad, Consumer<MeterReading> readings, Consumer<Rejection> rejections) {
        this.bad = bad;
        this.readings = readings;
        this.rejections = rejections;
        this.framer = new TelegramFramer(new TelegramFramer.Sink() {
            @Override
            public void frame(byte[] frame) {
                decode(frame);
            }

            @Override
            public void discarded(Rejection rejection) {
                reject(rejection);
            }
        });
    }

    /** Feeds bytes as they were read. */
    public void feed(byte[] bytes, int offset, int length) {
        framer.feed(bytes, offset, length);
    }

    private void decode(byte[] frame) {
        TelegramParser.Outcome outcome = TelegramParser.parse(frame);
        if (outcome instanceof TelegramParser.Rejected r) {
            reject(r.rejection());
            return;
        }
        MeterReading reading;
        try {
            reading = MeterReading.of(((TelegramParser.Accepted) outcome).telegram());
        } catch (IllegalArgumentException e) {
            reject(new Rejection(Rejection.Reason.GARBLED, e.getMessage()));
            return;
        }
        accepted++;
        lastWasBad = false;
        readings.accept(reading);
    }

    private void reject(Rejection r) {
        bad.count(r);
        if (r.reason() != Rejection.Reason.GARBAGE) {
            lastWasBad = true;
            rejections.accept(r);
        }
    }

    /** Telegrams that passed. */
    public long accepted() {
        return accepted;
    }

    /** Whether the latest telegram was rejected (the page shows it: "last telegram had a bad CRC"). */
    public boolean lastWasBad() {
        return lastWasBad;
    }

    /** Bytes the framer holds now; bounded by {@link TelegramFramer#MAX_FRAME}. */
    public int buffered() {
        return framer.buffered();
    }
}
