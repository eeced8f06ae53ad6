package io.vane.bench.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every engine the comparison measures keeps what was committed across close and open. */
class EngineRoundTripTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "rocksdb", "log", "log-prealloc"})
    void committedPutsAndDeletesSurviveReopening(String name) throws IOException {
        try (Engine e = Engine.named(name)) {
            e.open(dir);
            e.commit(new Batch().put(b("a"), b("1")).put(b("b"), b("2")).put(b("c"), b("3")));
            e.commit(new Batch().delete(b("b")).put(b("a"), b("1bis")));
        }
        try (Engine e = Engine.named(name)) {
            e.open(dir);
            assertThat(contents(e)).containsExactly(Map.entry("a", "1bis"), Map.entry("c", "3"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"log", "log-prealloc"})
    void theLogCutsACorruptTailBackToTheLastGoodRecord(String name) throws IOException {
        try (Engine e = Engine.named(name)) {
            e.open(dir);
            e.commit(new Batch().put(b("kept"), b("yes")));
            e.commit(new Batch().put(b("torn"), b("no")));
        }
        // Records are 8 header bytes + type + key length + key + value: 18 and 17 bytes; spoil the last one's value.
        try (FileChannel ch = FileChannel.open(dir.resolve("store.log"), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(b("X")), 18 + 17 - 1);
        }
        try (Engine e = Engine.named(name)) {
            e.open(dir);
            assertThat(contents(e)).containsExactly(Map.entry("kept", "yes"));
            e.commit(new Batch().put(b("after"), b("ok")));
        }
        try (Engine e = Engine.named(name)) {
            e.open(dir);
            assertThat(contents(e)).containsExactly(Map.entry("after", "ok"), Map.entry("kept", "yes"));
        }
    }

    private static Map<String, String> contents(Engine e) throws IOException {
        Map<String, String> m = new TreeMap<>();
        long n = e.scan((k, v) -> m.put(s(k), s(v)));
        assertThat(n).isEqualTo(m.size());
        return m;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
