package io.vane.devices.p1;

import java.util.List;

/**
 * A telegram that passed its checks: the identification line after {@code /} and the data lines in
 * order. Interpreted by {@link MeterReading#of}.
 *
 * @param header the identification line without the {@code /}, e.g. {@code ISk5\2MT382-1000}
 * @param objects the data lines, continuation lines already joined to the line they belong to
 * @param crcChecked whether a CRC was present and matched (DSMR 2.2 and 3.0 telegrams have none)
 */
public record Telegram(String header, List<CosemObject> objects, boolean crcChecked) {
    public Telegram {
        objects = List.copyOf(objects);
    }

    /** The first object with {@code code}, or null. */
    public CosemObject find(ObisCode code) {
        for (CosemObject o : objects) {
            if (o.code().equals(code)) {
                return o;
            }
        }
        return null;
    }
}
