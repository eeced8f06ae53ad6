package io.vane.dashboard;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One packet's numeric fields at the time it was recorded, as handed from the receiving thread to the
 * history writer and as kept in the file's {@code raw} table.
 */
record HistoryPoint(String topic, long millis, Map<String, Double> values) {

    /** The fields as the {@code raw} row's blob: a count, then name (modified UTF-8) and value pairs. */
    byte[] encodeValues() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + values.size() * 20);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeShort(values.size());
            for (Map.Entry<String, Double> e : values.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeDouble(e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not on a byte array
        }
        return bytes.toByteArray();
    }

    /** The inverse of {@link #encodeValues}; throws IOException for a blob that is not one. */
    static Map<String, Double> decodeValues(byte[] blob) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(blob))) {
            int n = in.readUnsignedShort();
            Map<String, Double> values = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                values.put(in.readUTF(), in.readDouble());
            }
            return values;
        }
    }
}
