package io.vane.app.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A vane.conf written into a test's folder and read as Vane reads it, or the error it stops with. */
final class ConfigFile {
    private ConfigFile() {
    }

    static VaneConfig parse(Path dir, String... lines) throws Exception {
        Files.writeString(dir.resolve("vane.conf"), String.join("\n", lines) + "\n");
        return new ConfigParser().withWorkingDirectory(dir).read(Path.of("vane.conf"));
    }

    /** The message of the ConfigException the lines cause; fails if they parse. */
    static String error(Path dir, String... lines) throws IOException {
        try {
            parse(dir, lines);
        } catch (ConfigException e) {
            return e.getMessage();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a ConfigException");
    }
}
