package io.vane.devices.opentherm;

/** The three bits after the parity bit of an OpenTherm frame (OpenTherm 2.2, section 4.2). */
public enum MessageType {
    READ_DATA, WRITE_DATA, INVALID_DATA, RESERVED, READ_ACK, WRITE_ACK, DATA_INVALID, UNKNOWN_DATA_ID;

    /** Sent by the master (the thermostat, or the gateway in its place). */
    public boolean fromMaster() {
        return ordinal() < 4;
    }
}
