package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every start after a kill -9 used to leave one more copy of SQLite's native library (about 1 MB) in
 * /tmp, for ever: Vane keeps a single copy beside its store instead, and nothing in the temporary folder.
 */
class SqliteNativeLibraryTest {
    @TempDir
    Path dir;

    private static List<String> names(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void killedStartsLeaveOneLibraryBesideTheStoreAndNothingInTmp() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path data = dir.resolve("data");
        int port = VaneProcess.freePort();
        Files.writeString(dir.resolve("vane.conf"), "listener " + port + " 127.0.0.1\nallow_anonymous true\n"
                + "persistence true\npersistence_location " + data + "\n");
        Map<String, String> env = Map.of("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + tmp);
        for (int i = 0; i < 3; i++) {
            VaneProcess vane = VaneProcess.runWith(env, List.of(), dir, port, "-c", dir.resolve("vane.conf").toString());
            try {
                vane.kill();
            } finally {
                vane.close();
            }
        }
        assertThat(names(tmp)).as("what three killed runs left in java.io.tmpdir")
                .noneMatch(n -> n.contains("sqlite"));
        assertThat(names(data.resolve("vane-native"))).singleElement().satisfies(n ->
                assertThat(n).startsWith("libsqlitejdbc-").endsWith(".so"));
    }
}
