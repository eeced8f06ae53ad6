package io.vane.devices.opentherm;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts the gateway's byte stream into lines at CR or LF, holding at most {@link #MAX_LINE} bytes: a
 * longer line is dropped as it grows (and counted), so noise without a line end costs nothing. Bytes
 * outside printable ASCII end nothing and are kept, for the parser to refuse.
 *
 * <p>Owned by the thread that reads the line.
 */
final class TextLines {
    /** The gateway's longest lines (version banners, {@code PR} answers) stay well under this. */
    static final int MAX_LINE = 80;

    private final byte[] line = new byte[MAX_LINE];
    private final Consumer<String> sink;
    private int length;
    private boolean overlong;
    private long dropped;

    TextLines(Consumer<String> sink) {
        this.sink = sink;
    }

    void feed(byte[] bytes, int offset, int n) {
        for (int i = offset; i < offset + n; i++) {
            byte b = bytes[i];
            if (b == '\r' || b == '\n') {
                if (!overlong && length > 0) {
                    sink.accept(new String(line, 0, length, StandardCharsets.ISO_8859_1));
                }
                length = 0;
                overlong = false;
            } else if (overlong) {
                continue;
            } else if (length == MAX_LINE) {
                overlong = true;
                dropped++;
                length = 0;
            } else {
                line[length++] = b;
            }
        }
    }

    /** A half line is not the start of the next one (the line was reopened). */
    void reset() {
        length = 0;
        overlong = false;
    }

    /** Lines dropped for being longer than {@link #MAX_LINE}. */
    long overlong() {
        return dropped;
    }

    /** Bytes held now: never more than {@link #MAX_LINE}. */
    int buffered() {
        return length;
    }
}
