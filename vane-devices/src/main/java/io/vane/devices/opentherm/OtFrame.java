package io.vane.devices.opentherm;

/**
 * One 32-bit OpenTherm frame: parity (bit 31, making the count of ones even), message type (30-28),
 * spare (27-24), data ID (23-16) and the data value's high and low bytes.
 *
 * @param bits the frame as sent, bit 31 first
 */
public record OtFrame(int bits) {

    /** From the 8 hex digits of a gateway line; null if they are not 8 hex digits. */
    public static OtFrame parse(CharSequence hex) {
        if (hex.length() != 8) {
            return null;
        }
        int v = 0;
        for (int i = 0; i < 8; i++) {
            int d = Character.digit(hex.charAt(i), 16);
            if (d < 0) {
                return null;
            }
            v = v << 4 | d;
        }
        return new OtFrame(v);
    }

    /** A frame with the parity bit set so that the 32 bits hold an even number of ones. */
    public static OtFrame of(MessageType type, int id, int value) {
        int bits = type.ordinal() << 28 | (id & 0xFF) << 16 | (value & 0xFFFF);
        if (Integer.bitCount(bits) % 2 != 0) {
            bits |= 1 << 31;
        }
        return new OtFrame(bits);
    }

    /** Even parity over all 32 bits, as the specification requires; a frame failing it is dropped. */
    public boolean parityOk() {
        return Integer.bitCount(bits) % 2 == 0;
    }

    public MessageType type() {
        return MessageType.values()[bits >>> 28 & 0x7];
    }

    public int dataId() {
        return bits >>> 16 & 0xFF;
    }

    public int highByte() {
        return bits >>> 8 & 0xFF;
    }

    public int lowByte() {
        return bits & 0xFF;
    }

    /** The 8 hex digits, upper case, as the gateway writes them. */
    public String hex() {
        return String.format("%08X", bits);
    }
}
