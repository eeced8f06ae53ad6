package io.vane.devices.p1;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks and splits one framed telegram (from {@code /} to the CRC after {@code !}): the CRC where
 * present (unpadded CRCs such as {@code !2B5} are accepted, as some meters send them), the
 * identification line, and every data line. Two-line values (the DSMR 2.2/3.0 hourly gas reading,
 * whose value follows on a line of its own) and values wrapped over lines are joined. Nothing is
 * interpreted here; {@link MeterReading} does that. Stateless and thread-safe.
 */
public final class TelegramParser {

    /** What became of one frame: a telegram, or why there is none. */
    public sealed interface Outcome {
    }

    /** The frame is a sound telegram. */
    public record Accepted(Telegram telegram) implements Outcome {
    }

    /** The frame must not be published. */
    public record Rejected(Rejection rejection) implements Outcome {
    }

    private TelegramParser() {
    }

    /** Parses a frame as {@link TelegramFramer} delivers it. */
    public static Outcome parse(byte[] frame) {
        int bang = indexOf(frame, (byte) '!');
        if (frame.length == 0 || frame[0] != '/' || bang < 0) {
            return rejected(Rejection.Reason.TRUNCATED, "no '/' ... '!' frame");
        }
        String crcText = crcText(frame, bang);
        if (crcText == null) {
            return rejected(Rejection.Reason.GARBLED, "unexpected bytes after '!'");
        }
        boolean crcChecked = !crcText.isEmpty();
        if (crcChecked) {
            int stated = Integer.parseInt(crcText, 16);
            int computed = Crc16.of(frame, 0, bang + 1);
            if (stated != computed) {
                return rejected(Rejection.Reason.BAD_CRC, String.format("CRC %s in the telegram, %04X computed",
                        crcText, computed));
            }
        }
        String text = new String(frame, 1, bang - 1, StandardCharsets.ISO_8859_1);
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if ((ch < 0x20 || ch > 0x7E) && ch != '\r' && ch != '\n') {
                return rejected(Rejection.Reason.GARBLED, String.format("byte 0x%02X at offset %d", (int) ch, i + 1));
            }
        }
        String[] lines = text.split("\r?\n", -1);
        String header = lines[0].strip();
        if (header.length() < 5 || !Character.isLetter(header.charAt(0))) {
            return rejected(Rejection.Reason.GARBLED, "identification line '/" + clip(header) + "'");
        }
        List<CosemObject> objects = new ArrayList<>();
        String problem = dataLines(lines, objects);
        if (problem != null) {
            return rejected(Rejection.Reason.GARBLED, problem);
        }
        if (objects.isEmpty()) {
            return rejected(Rejection.Reason.GARBLED, "no data lines");
        }
        Telegram telegram = new Telegram(header, objects, crcChecked);
        if (!crcChecked && alwaysSealed(telegram)) {
            return rejected(Rejection.Reason.MISSING_CRC, "a DSMR 4/5 or e-MUCS telegram without CRC");
        }
        return new Accepted(telegram);
    }

    /** Splits data lines into objects; returns a problem, or null. */
    private static String dataLines(String[] lines, List<CosemObject> objects) {
        String pending = null; // a line whose parentheses are still open
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].strip();
            if (pending != null) {
                line = pending + line;
                pending = null;
            }
            if (line.isEmpty()) {
                continue;
            }
            if (depth(line) > 0) {
                pending = line;
                continue;
            }
            if (depth(line) < 0) {
                return "unbalanced ')' in '" + clip(line) + "'";
            }
            if (line.charAt(0) == '(') {
                // DSMR 2.2/3.0: the hourly gas value on the line after its 0-n:24.3.0 line.
                if (objects.isEmpty()) {
                    return "a value line before any OBIS line";
                }
                List<String> values = groups(line, 0);
                if (values == null) {
                    return "value line '" + clip(line) + "'";
                }
                CosemObject last = objects.remove(objects.size() - 1);
                List<String> joined = new ArrayList<>(last.values());
                joined.addAll(values);
                objects.add(new CosemObject(last.code(), joined));
                continue;
            }
            int open = line.indexOf('(');
            ObisCode code = open > 0 ? ObisCode.parse(line.substring(0, open)) : null;
            List<String> values = code == null ? null : groups(line, open);
            if (values == null) {
                return "data line '" + clip(line) + "'";
            }
            objects.add(new CosemObject(code, values));
        }
        return pending == null ? null : "unclosed '(' in '" + clip(pending) + "'";
    }

    /** The texts of {@code (a)(b)...} from {@code from} to the end, or null if anything else is there. */
    private static List<String> groups(String line, int from) {
        List<String> values = new ArrayList<>();
        int i = from;
        while (i < line.length()) {
            if (line.charAt(i) != '(') {
                return null;
            }
            int close = line.indexOf(')', i);
            String value = line.substring(i + 1, close);
            if (value.indexOf('(') >= 0) {
                return null;
            }
            values.add(value);
            i = close + 1;
        }
        return values;
    }

    private static int depth(String line) {
        int d = 0;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '(') {
                d++;
            } else if (ch == ')') {
                d--;
                if (d < 0) {
                    return -1;
                }
            }
        }
        return d;
    }

    /** The hex digits after '!', "" when none, or null when something else follows. */
    private static String crcText(byte[] frame, int bang) {
        StringBuilder hex = new StringBuilder();
        for (int i = bang + 1; i < frame.length; i++) {
            char ch = (char) (frame[i] & 0xFF);
            if (Character.digit(ch, 16) >= 0 && hex.length() < 4) {
                hex.append(ch);
            } else if (ch == '\r' || ch == '\n') {
                break;
            } else {
                return null;
            }
        }
        return hex.toString();
    }

    /** DSMR 4.0 and later (version line 40 or more) and e-MUCS (0-0:96.1.4) always end with a CRC. */
    private static boolean alwaysSealed(Telegram t) {
        if (t.find(MeterCodes.EMUCS_VERSION) != null) {
            return true;
        }
        CosemObject version = t.find(MeterCodes.DSMR_VERSION);
        if (version == null) {
            return false;
        }
        try {
            return Integer.parseInt(version.value(0)) >= 40;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static int indexOf(byte[] data, byte b) {
        for (int i = 0; i < data.length; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private static Outcome rejected(Rejection.Reason reason, String detail) {
        return new Rejected(new Rejection(reason, detail));
    }
}
