package io.vane.devices.p1;

import java.io.ByteArrayOutputStream;

/**
 * Cuts a P1 byte stream into frames, from {@code /} to the end of the CRC after {@code !}, with a
 * fixed upper bound on what it holds: a frame longer than {@link #MAX_FRAME} bytes is dropped as it
 * grows, and bytes outside frames are never kept, so a megabyte of noise without a newline costs
 * nothing. Faults are reported as they are seen: a frame cut short by the next {@code /}, an
 * over-long one, and each run of non-blank bytes between frames.
 *
 * <p>Owned by the one thread that reads the line.
 */
public final class TelegramFramer {
    /**
     * Far above any real telegram (about 1 KB for DSMR 5 with voltages and gas; an e-MUCS telegram with
     * 13 months of peaks and a long text message stays under 3 KB).
     */
    public static final int MAX_FRAME = 8192;

    /** Where frames and faults go. */
    public interface Sink {
        /** A candidate telegram, from '/' to the CRC; still to be checked by {@link TelegramParser}. */
        void frame(byte[] frame);

        /** Bytes that cannot be a telegram. */
        void discarded(Rejection rejection);
    }

    private enum State { HUNTING, BODY, CRC }

    private final Sink sink;
    private final ByteArrayOutputStream frame = new ByteArrayOutputStream(2048);
    private State state = State.HUNTING;
    private boolean garbageRun;
    private int crcDigits;

    public TelegramFramer(Sink sink) {
        this.sink = sink;
    }

    /** Feeds {@code length} bytes read from the line. */
    public void feed(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            feed(bytes[i]);
        }
    }

    private void feed(byte b) {
        switch (state) {
            case HUNTING -> {
                if (b == '/') {
                    start();
                } else if (b != '\r' && b != '\n' && b != ' ' && b != 0 && !garbageRun) {
                    // One fault per run of noise, not one per byte; blank bytes between telegrams are normal.
                    garbageRun = true;
                    sink.discarded(new Rejection(Rejection.Reason.GARBAGE, String.format("byte 0x%02X outside a"
                            + " telegram", b & 0xFF)));
                }
            }
            case BODY -> {
                if (b == '/') {
                    sink.discarded(new Rejection(Rejection.Reason.TRUNCATED, "a new telegram began after "
                            + frame.size() + " bytes"));
                    start();
                    return;
                }
                append(b);
                if (b == '!') {
                    state = State.CRC;
                    crcDigits = 0;
                }
            }
            case CRC -> {
                if (b == '\r' || b == '\n') {
                    emit();
                } else if (b == '/') {
                    emit();
                    start();
                } else {
                    append(b);
                    if (Character.digit(b, 16) >= 0 && ++crcDigits == 4) {
                        emit();
                    } else if (Character.digit(b, 16) < 0) {
                        emit(); // the parser says what is wrong with it
                    }
                }
            }
        }
    }

    private void start() {
        frame.reset();
        frame.write('/');
        state = State.BODY;
        garbageRun = false;
    }

    private void append(byte b) {
        if (frame.size() >= MAX_FRAME) {
            sink.discarded(new Rejection(Rejection.Reason.TOO_LONG, "no end after " + MAX_FRAME + " bytes"));
            frame.reset();
            state = State.HUNTING;
            garbageRun = true;
            return;
        }
        frame.write(b);
    }

    private void emit() {
        byte[] done = frame.toByteArray();
        frame.reset();
        state = State.HUNTING;
        garbageRun = false;
        sink.frame(done);
    }

    /** Bytes held now: never more than {@link #MAX_FRAME}. */
    public int buffered() {
        return frame.size();
    }
}
