package io.vane.bench.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every engine the comparison measures keeps what was committed across close and open. */
class EngineRoundTripTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "rocksdb", "log"})
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

    @Test
    void theLogCutsATornTailBackToTheLastWholeRecord() throws IOException {
        try (Engine e = Engine.named("log")) {
            e.open(dir);
            e.commit(new Batch().put(b("kept"), b("yes")));
            e.commit(new Batch().put(b("torn"), b("no")));
        }
        Path file = dir.resolve("store.log");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 1);
        }
        try (Engine e = Engine.named("log")) {
            e.open(dir);
            assertThat(contents(e)).containsExactly(Map.entry("kept", "yes"));
            e.commit(new Batch().put(b("after"), b("ok")));
        }
        try (Engine e = Engine.named("log")) {
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
