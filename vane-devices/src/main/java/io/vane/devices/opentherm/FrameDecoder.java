package io.vane.devices.opentherm;

import java.util.HashSet;
import java.util.Set;

/**
 * Turns the gateway's frames into values through {@link DataIds}, keeping the boiler's view and the
 * thermostat's apart where the gateway stands between them. Without an override a thermostat's
 * request ({@code T}) and the boiler's answer ({@code B}) are the one truth. When the gateway writes to
 * the boiler in the thermostat's place ({@code R}, e.g. a control setpoint override), the boiler's
 * view takes the {@code R} value and the thermostat's own value goes to the thermostat view; when it
 * answers the thermostat in the boiler's place ({@code A}) after the boiler answered the same ID, the
 * substituted answer goes to the thermostat view; an {@code A} for an ID the boiler does not know (the
 * gateway's own ID 9 override) is the one truth.
 *
 * <p>Owned by the thread that reads the line.
 */
final class FrameDecoder {
    /** Where values go. */
    interface Sink {
        /** @param thermostatView true for what the thermostat sent or was told where that differs */
        void value(DataIds.Row row, Object value, boolean thermostatView);
    }

    private final Sink sink;
    /** IDs the gateway writes to the boiler in the thermostat's place (an R followed their last T). */
    private final Set<Integer> replaced = new HashSet<>();
    private int requestId = -1;
    private boolean substituted;
    private int answeredId = -1;
    private long frames;
    private long unknownIds;

    FrameDecoder(Sink sink) {
        this.sink = sink;
    }

    void frame(char from, OtFrame f) {
        frames++;
        int id = f.dataId();
        boolean thermostatView;
        if (from == 'T') {
            requestId = id;
            substituted = false;
            answeredId = -1;
            thermostatView = replaced.contains(id);
        } else if (from == 'R') {
            if (id == requestId) {
                replaced.add(id);
            }
            substituted = true;
            thermostatView = false;
        } else if (from == 'B') {
            if (id == requestId && !substituted) {
                replaced.remove(id);
            }
            // A boiler that does not know the ID (or has no valid data) has not answered it.
            boolean answered = f.type() == MessageType.READ_ACK || f.type() == MessageType.WRITE_ACK;
            answeredId = answered ? id : -1;
            thermostatView = false;
        } else {
            thermostatView = id == answeredId;
        }
        if (DataIds.of(id).isEmpty()) {
            unknownIds++;
            return;
        }
        for (DataIds.Row row : DataIds.of(id)) {
            if (row.carriedBy(f.type())) {
                sink.value(row, row.format().decode(f.highByte(), f.lowByte(), row.which(), row.bit()), thermostatView);
            }
        }
    }

    long frames() {
        return frames;
    }

    long unknownIds() {
        return unknownIds;
    }
}
