package io.vane.devices.p1;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The recorded telegrams in src/test/resources/p1 (sources in its README), and helpers to read them. */
final class Fixtures {
    static final List<String> ALL = List.of("dsmr22-iskra-mt382.txt", "dsmr30-iskra-mt382.txt", "dsmr40-kaifa.txt",
            "dsmr42-kaifa.txt", "dsmr50-iskra-mt382.txt", "emucs171-fluvius.txt", "easymeter-q3d-255.txt");
    static final List<String> WITH_CRC = List.of("dsmr40-kaifa.txt", "dsmr42-kaifa.txt", "dsmr50-iskra-mt382.txt",
            "emucs171-fluvius.txt");

    private Fixtures() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/p1/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Seals {@code body} (from '/' to '!') with its CRC as DSMR 5 writes it. */
    static byte[] sealed(String body) {
        byte[] b = body.getBytes(StandardCharsets.ISO_8859_1);
        return (body + String.format("%04X", Crc16.of(b)) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    static Telegram accept(byte[] frame) {
        TelegramParser.Outcome o = TelegramParser.parse(frame);
        if (o instanceof TelegramParser.Rejected r) {
            throw new AssertionError("rejected: " + r.rejection());
        }
        return ((TelegramParser.Accepted) o).telegram();
    }

    static MeterReading reading(String name) {
        return MeterReading.of(accept(bytes(name)));
    }

    /** Each field as {@code name=payload unit}, for comparing whole readings at once. */
    static List<String> describe(MeterReading r) {
        List<String> out = new ArrayList<>();
        for (MeterField f : r.fields()) {
            out.add(f.name() + "=" + f.payload() + (f.unit() == null ? "" : " " + f.unit()));
        }
        return out;
    }

    /** Frames from a byte stream, through the framer, with the faults it saw. */
    static final class Collect implements TelegramFramer.Sink {
        final List<byte[]> frames = new ArrayList<>();
        final List<Rejection> faults = new ArrayList<>();

        @Override
        public void frame(byte[] frame) {
            frames.add(frame);
        }

        @Override
        public void discarded(Rejection rejection) {
            faults.add(rejection);
        }
    }
}
