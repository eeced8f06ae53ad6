package io.vane.devices.p1;

/**
 * CRC-16/ARC as DSMR 4 and later use it to seal a telegram: polynomial 0x8005 reflected (0xA001),
 * initial value 0, no final XOR, over every byte from {@code /} up to and including {@code !}.
 */
public final class Crc16 {
    private static final int[] TABLE = table();

    private Crc16() {
    }

    /** The CRC of {@code length} bytes of {@code data} from {@code offset}. */
    public static int of(byte[] data, int offset, int length) {
        int crc = 0;
        for (int i = offset; i < offset + length; i++) {
            crc = (crc >>> 8) ^ TABLE[(crc ^ data[i]) & 0xFF];
        }
        return crc;
    }

    /** The CRC of a whole array. */
    public static int of(byte[] data) {
        return of(data, 0, data.length);
    }

    private static int[] table() {
        int[] t = new int[256];
        for (int n = 0; n < 256; n++) {
            int c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0xA001 : c >>> 1;
            }
            t[n] = c;
        }
        return t;
    }
}
