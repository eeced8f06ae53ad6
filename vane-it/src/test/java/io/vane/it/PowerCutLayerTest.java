package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The power-cut layer and its player on a file whose every byte is known: Debian's {@code dd} and
 * {@code truncate} write it under {@code powercut.so} (a synced 8 KiB of 'A', then unsynced: 1,000 'B'
 * at 2,000, 4 KiB of 'B' past the end at 8,192, and a cut to 9,000 bytes), and {@link PowerCut} plays
 * cuts whose choices the test fixes.
 */
class PowerCutLayerTest {
    private static Path layer;

    @TempDir
    Path dir;
    Path data;
    Path file;
    Path log;

    @BeforeAll
    static void buildLayer() throws Exception {
        layer = PowerCut.buildLayer();
    }

    @BeforeEach
    void writeUnderTheLayer() throws Exception {
        data = Files.createDirectories(dir.resolve("data"));
        file = data.resolve("f");
        log = dir.resolve("powercut.log");
        Path a = Files.write(dir.resolve("a"), filled(8192, 'A'));
        Path b = Files.write(dir.resolve("b"), filled(4096, 'B'));
        run("dd", "if=" + a, "of=" + file, "bs=8192", "conv=fsync", "status=none");
        run("dd", "if=" + b, "of=" + file, "bs=1000", "count=1", "seek=2", "conv=notrunc", "status=none");
        run("dd", "if=" + b, "of=" + file, "bs=4096", "seek=2", "conv=notrunc", "status=none");
        run("truncate", "-s", "9000", file.toString());
        // SQLite's shared-memory index is rebuilt at open, never needed on the platter: not logged.
        run("dd", "if=" + b, "of=" + data.resolve("f-shm"), "bs=4096", "status=none");
    }

    @Test
    void revertingEveryUnsyncedChangeGivesTheSyncedFile() throws Exception {
        PowerCut.Result cut = PowerCut.play(log, fixed(0.5, false));
        assertThat(cut.syncs()).isEqualTo(1);
        assertThat(cut.writes()).isEqualTo(4);
        assertThat(cut.files()).extracting(PowerCut.FileCut::file).containsExactly("f");
        assertThat(runs(Files.readAllBytes(file))).isEqualTo(runs(filled(8192, 'A')));
    }

    @Test
    void keepingEveryChangeLeavesTheFileAsItWas() throws Exception {
        byte[] before = Files.readAllBytes(file);
        PowerCut.play(log, fixed(0.1, false));
        assertThat(runs(Files.readAllBytes(file))).isEqualTo(runs(before)).endsWith("B x 808");
    }

    @Test
    void aTornWriteKeepsSomeSectorsAndAHoleWhereItsGrowthWasLost() throws Exception {
        PowerCut.play(log, fixed(0.9, true));
        byte[] expected = filled(12288, 'A');
        // 1,000 B at 2,000 spans sectors 3-5: kept, reverted, kept.
        Arrays.fill(expected, 2000, 2048, (byte) 'B');
        Arrays.fill(expected, 2560, 3000, (byte) 'B');
        // 4 KiB at 8,192 spans sectors 16-23: reverted, kept, ...; a reverted sector past the old end is a
        // hole. The cut to 9,000 cannot tear and is reverted, so the file keeps the kept sector 23's end.
        for (int s = 16; s < 24; s++) {
            Arrays.fill(expected, s * 512, (s + 1) * 512, (byte) (s % 2 == 1 ? 'B' : 0));
        }
        assertThat(runs(Files.readAllBytes(file))).isEqualTo(runs(expected));
    }

    /** A cut whose every choice is {@code choice} and whose torn sectors alternate kept, reverted, ... from {@code first}. */
    private static Random fixed(double choice, boolean first) {
        return new Random() {
            private boolean next = first;

            @Override
            public double nextDouble() {
                return choice;
            }

            @Override
            public boolean nextBoolean() {
                boolean b = next;
                next = !next;
                return b;
            }
        };
    }

    /** The bytes as runs, e.g. "A x 2000, B x 1000", so a failure shows where the file differs. */
    private static String runs(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < b.length; ) {
            int j = i;
            while (j < b.length && b[j] == b[i]) {
                j++;
            }
            s.append(s.length() == 0 ? "" : ", ").append(b[i] == 0 ? "0" : String.valueOf((char) b[i]))
                    .append(" x ").append(j - i);
            i = j;
        }
        return s.toString();
    }

    private static byte[] filled(int n, char c) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) c);
        return b;
    }

    private void run(String... cmd) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(cmd));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(Map.of("LD_PRELOAD", layer.toString(), "POWERCUT_DIR", data.toString(),
                "POWERCUT_LOG", log.toString()));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0).as("%s: %s", command, out).isTrue();
    }
}
